using Orleans;

namespace Orlog.Partitions;

/// <summary>
/// Whole record batches read from a partition, and its bounds: Kafka's FetchResponse for one
/// partition. Immutable, so a co-hosted caller receives the broker's buffer by reference.
/// </summary>
/// <param name="Records">Batches back to back (possibly none); never modify it.</param>
/// <param name="HighWatermark">The offset below which records are readable (the log end on one node).</param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.fetch-result")]
public sealed record FetchResult(
    [property: Id(0)] byte[] Records,
    [property: Id(1)] long HighWatermark,
    [property: Id(2)] long LogStartOffset);
