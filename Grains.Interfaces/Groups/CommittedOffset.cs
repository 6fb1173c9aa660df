using Orleans;

namespace Orlog.Groups;

/// <summary>A committed offset as the group keeps it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.committed-offset")]
public sealed record CommittedOffset(
    [property: Id(0)] TopicPartition Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] string? Metadata,
    [property: Id(3)] DateTimeOffset CommittedAt);
