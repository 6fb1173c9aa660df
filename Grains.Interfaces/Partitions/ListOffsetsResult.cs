using Orleans;

namespace Orlog.Partitions;

/// <summary>An offset found by ListOffsets, with the timestamp of its record when found by time (else -1).</summary>
/// <remarks>Offset -1 means no record is at or after the requested timestamp, as in Kafka.</remarks>
[GenerateSerializer]
[Immutable]
[Alias("orlog.list-offsets-result")]
public readonly record struct ListOffsetsResult([property: Id(0)] long Offset, [property: Id(1)] long Timestamp);
