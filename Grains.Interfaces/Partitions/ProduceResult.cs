using Orleans;

namespace Orlog.Partitions;

/// <summary>Where a produce landed: Kafka's ProduceResponse for one partition.</summary>
/// <param name="LogAppendTime">The broker time stamped into the batches under LogAppendTime, else -1.</param>
/// <param name="BatchOffsets">
/// Each batch's base offset when they are not consecutive from <paramref name="BaseOffset"/> (an idempotent retry
/// whose first batches an earlier attempt had stored); null when they are.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.produce-result")]
public readonly record struct ProduceResult(
    [property: Id(0)] long BaseOffset,
    [property: Id(1)] long LastOffset,
    [property: Id(2)] long LogAppendTime,
    [property: Id(3)] long LogStartOffset,
    [property: Id(4)] long[]? BatchOffsets = null);
