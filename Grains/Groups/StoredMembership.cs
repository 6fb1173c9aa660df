using Orleans;

namespace Orlog.Groups;

/// <summary>
/// A consumer group's membership as kept in grain storage, so a group whose grain moves to another
/// silo (a silo restarted or died) keeps its members, generation and assignment: members go on
/// heartbeating under their ids, and static members are not rebalanced (Kafka keeps the same in
/// its group metadata log).
/// </summary>
[GenerateSerializer]
[Alias("orlog.group-membership")]
public sealed record StoredMembership(
    [property: Id(0)] int Generation,
    [property: Id(1)] string? Assignor,
    [property: Id(2)] bool RevokingAll,
    [property: Id(3)] Dictionary<string, int> PartitionCounts,
    [property: Id(4)] List<StoredMember> Members);

/// <summary>One member of a <see cref="StoredMembership"/>; its session starts afresh when the group is restored.</summary>
[GenerateSerializer]
[Alias("orlog.group-member")]
public sealed record StoredMember(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? InstanceId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] List<string> Topics,
    [property: Id(4)] TimeSpan SessionTimeout,
    [property: Id(5)] TimeSpan RebalanceTimeout,
    [property: Id(6)] List<TopicPartition> Target,
    [property: Id(7)] List<TopicPartition> Owned,
    [property: Id(8)] List<TopicPartition> LastGiven,
    [property: Id(9)] int Generation,
    [property: Id(10)] bool Revoking);
