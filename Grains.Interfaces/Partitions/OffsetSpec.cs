using Orleans;

namespace Orlog.Partitions;

/// <summary>Which offset ListOffsets asks for: Kafka's -2 (earliest), -1 (latest) or a timestamp.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.offset-spec")]
public readonly record struct OffsetSpec([property: Id(0)] long Value)
{
    public const long EarliestValue = -2;
    public const long LatestValue = -1;

    public static OffsetSpec Earliest => new(EarliestValue);

    public static OffsetSpec Latest => new(LatestValue);

    /// <summary>The first record at or after <paramref name="timestamp"/> (ms since the Unix epoch).</summary>
    public static OffsetSpec ForTimestamp(long timestamp) => new(timestamp);
}
