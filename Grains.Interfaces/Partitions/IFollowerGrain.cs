using Orleans;
using Orleans.Concurrency;

namespace Orlog.Partitions;

/// <summary>
/// A follower replica of a partition (key: <c>topic/partition/broker</c>, see <see cref="FollowerKey"/>),
/// placed on its broker's silo: the leader pushes it what the leader's log holds. Not for clients.
/// </summary>
[Alias("orlog.follower")]
public interface IFollowerGrain : IGrainWithStringKey
{
    /// <summary>
    /// A leader starts pushing: the follower checks with the controller that it leads at that epoch (an older
    /// epoch is FENCED_LEADER_EPOCH), fences older leaders out of its log, truncates the log by leader epoch to
    /// where it agrees with the leader (or empties it to start at the leader's log start when it is too far
    /// behind), and returns its log end offset: where the leader's pushes start.
    /// </summary>
    [Alias("follow")]
    Task<long> FollowAsync(FollowRequest request);

    /// <summary>
    /// Appends batches read from the leader's log at the follower's log end offset, and takes on the leader's
    /// high watermark, log start and remote copy progress. Returns the new log end offset.
    /// </summary>
    /// <exception cref="Errors.OrlogException">FENCED_LEADER_EPOCH from a replaced leader; UNKNOWN_LEADER_EPOCH when the leader must call <see cref="FollowAsync"/> first; INVALID_REQUEST when the batches do not start at the log end.</exception>
    [Alias("push")]
    Task<long> AppendAsync(ReplicaPush push, Immutable<byte[]> batches);

    /// <summary>The topic's configs changed: reopen the log with them.</summary>
    [Alias("refresh")]
    Task RefreshAsync(Topics.TopicDescription topic);

    /// <summary>The topic is being deleted: delete this replica's data and deactivate.</summary>
    [Alias("delete-data")]
    Task DeleteDataAsync();
}

/// <summary>What a leader tells a follower when it starts pushing.</summary>
/// <param name="Epochs">The leader's epoch checkpoint (epoch, start offset), oldest first: the follower truncates by it.</param>
/// <param name="LogStartOffset">The first offset the leader's local log holds.</param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.follow-request")]
public sealed record FollowRequest(
    [property: Id(0)] int Leader,
    [property: Id(1)] int LeaderEpoch,
    [property: Id(2)] (int Epoch, long StartOffset)[] Epochs,
    [property: Id(3)] long LogStartOffset,
    [property: Id(4)] long LogEndOffset);

/// <summary>The leader's state that travels with each push.</summary>
/// <param name="RemoteCopiedOffset">The last offset the remote tier holds (-1: none): the follower's local retention may delete up to it.</param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.replica-push")]
public sealed record ReplicaPush(
    [property: Id(0)] int LeaderEpoch,
    [property: Id(1)] long HighWatermark,
    [property: Id(2)] long LogStartOffset,
    [property: Id(3)] long RemoteCopiedOffset);
