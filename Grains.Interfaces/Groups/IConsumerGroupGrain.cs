using Orleans;
using Orleans.Concurrency;

namespace Orlog.Groups;

/// <summary>
/// A consumer group (key: the group id): membership, generations, the assignment of partitions to
/// members, and the group's committed offsets. Every failure is an <see cref="Errors.OrlogException"/>.
/// </summary>
/// <remarks>
/// The group computes assignments itself (as Kafka's KIP-848 protocol does) and hands them out
/// incrementally: a member gets a partition only once its previous owner has released it, so no
/// partition is ever read by two members at once. A member joins, then repeats: heartbeat (a long
/// poll that returns early when the member should sync), sync (report what it owns, get what it
/// may own now). See docs/ARCHITECTURE.md, "Consumer groups".
/// </remarks>
[Alias("orlog.consumer-group")]
public interface IConsumerGroupGrain : IGrainWithStringKey
{
    /// <summary>
    /// Joins the group (no member id; a static member gives its instance id) or changes a member's
    /// subscription (its member id). Returns the member id, the generation and the partitions the
    /// member may consume now.
    /// </summary>
    /// <exception cref="Errors.OrlogException">
    /// INVALID_GROUP_ID, INVALID_TOPIC, INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL (another
    /// assignor than the group's), UNKNOWN_MEMBER_ID.
    /// </exception>
    [Alias("join")]
    Task<GroupAssignment> JoinAsync(JoinGroupRequest request);

    /// <summary>
    /// Reports the partitions the member owns (it has stopped reading any it was told to give up)
    /// and returns those it may own now: partitions missing from the answer must be revoked.
    /// </summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION.</exception>
    [Alias("sync")]
    Task<GroupAssignment> SyncAsync(string memberId, int generation, IReadOnlyList<TopicPartition> owned);

    /// <summary>
    /// Keeps the member alive. Waits up to <paramref name="maxWait"/> (long poll) and returns as soon
    /// as the member should sync: the generation moved on or its assignment changed.
    /// </summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_MEMBER_ID: the member was removed and must join again.</exception>
    [Alias("heartbeat")]
    [AlwaysInterleave]
    Task<HeartbeatResult> HeartbeatAsync(string memberId, int generation, TimeSpan maxWait);

    /// <summary>Leaves the group; its partitions move to the other members at once.</summary>
    [Alias("leave")]
    Task LeaveAsync(string memberId);

    /// <summary>
    /// Commits offsets (the next offset to read per partition). A member gives its id and the
    /// generation of its assignment; a consumer outside group management gives "" and -1, which
    /// only a group without members accepts. Returns once the offsets are durable.
    /// </summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, INVALID_REQUEST, OFFSET_METADATA_TOO_LARGE, KAFKA_STORAGE_ERROR.</exception>
    [Alias("commit-offsets")]
    Task CommitOffsetsAsync(string memberId, int generation, IReadOnlyList<OffsetCommit> offsets);

    /// <summary>The committed offsets of these partitions (all the group has when null); partitions without one are left out.</summary>
    [Alias("fetch-offsets")]
    Task<IReadOnlyList<CommittedOffset>> FetchOffsetsAsync(IReadOnlyList<TopicPartition>? partitions);

    /// <summary>State, members, assignment, and per partition the committed offset, log end offset and lag.</summary>
    /// <exception cref="Errors.OrlogException">GROUP_ID_NOT_FOUND: no members and no offsets.</exception>
    [Alias("describe")]
    Task<GroupDescription> DescribeAsync();

    /// <summary>Sets committed offsets by hand (kafka-consumer-groups --reset-offsets); only while the group has no members.</summary>
    /// <exception cref="Errors.OrlogException">NON_EMPTY_GROUP, INVALID_REQUEST.</exception>
    [Alias("alter-offsets")]
    Task AlterOffsetsAsync(IReadOnlyList<OffsetCommit> offsets);

    /// <summary>Deletes the group and its offsets; only while it has no members.</summary>
    /// <exception cref="Errors.OrlogException">NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND.</exception>
    [Alias("delete")]
    Task DeleteAsync();

    /// <summary>Drops offsets kept longer than <c>offsets.retention.minutes</c> since the group became empty; true when the group is gone.</summary>
    [Alias("expire-offsets")]
    Task<bool> ExpireOffsetsAsync();
}
