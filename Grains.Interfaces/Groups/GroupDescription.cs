using Orleans;

namespace Orlog.Groups;

/// <summary>A consumer group as kafka-consumer-groups --describe shows it.</summary>
/// <param name="Assignor">The group's assignor; null while it has no members.</param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.group-description")]
public sealed record GroupDescription(
    [property: Id(0)] string GroupId,
    [property: Id(1)] GroupState State,
    [property: Id(2)] string? Assignor,
    [property: Id(3)] int Generation,
    [property: Id(4)] IReadOnlyList<GroupMemberDescription> Members,
    [property: Id(5)] IReadOnlyList<PartitionLag> Partitions);

/// <summary>A member: ids, subscription and the partitions it consumes.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.group-member-description")]
public sealed record GroupMemberDescription(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] IReadOnlyList<string> Topics,
    [property: Id(4)] IReadOnlyList<TopicPartition> Assignment);

/// <summary>One partition of a group: committed offset (-1: none), log end offset, lag, and the member that consumes it (null: none).</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.partition-lag")]
public sealed record PartitionLag(
    [property: Id(0)] TopicPartition Partition,
    [property: Id(1)] long CommittedOffset,
    [property: Id(2)] string? Metadata,
    [property: Id(3)] long LogEndOffset,
    [property: Id(4)] long Lag,
    [property: Id(5)] string? MemberId);
