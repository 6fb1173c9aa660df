using Orleans;

namespace Orlog.Groups;

/// <summary>One partition's offset to commit: the next offset the group should read, with optional metadata.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.offset-commit")]
public readonly record struct OffsetCommit(
    [property: Id(0)] TopicPartition Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] string? Metadata = null);
