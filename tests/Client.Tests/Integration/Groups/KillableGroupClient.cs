using Orlog.Errors;
using Orlog.Groups;

namespace Orlog.Client.Integration.Groups;

/// <summary>A group connection that can be cut: after <see cref="Kill"/> no call reaches the group, as when a consumer's process dies.</summary>
internal sealed class KillableGroupClient(IGroupClient inner) : IGroupClient
{
    private volatile bool _killed;

    public void Kill() => _killed = true;

    public Task<GroupAssignment> JoinAsync(string groupId, JoinGroupRequest request) => Guard(() => inner.JoinAsync(groupId, request));

    public Task<GroupAssignment> SyncAsync(string groupId, string memberId, int generation, IReadOnlyList<TopicPartition> owned) => Guard(() => inner.SyncAsync(groupId, memberId, generation, owned));

    public Task<HeartbeatResult> HeartbeatAsync(string groupId, string memberId, int generation, TimeSpan maxWait) => Guard(() => inner.HeartbeatAsync(groupId, memberId, generation, maxWait));

    public Task LeaveAsync(string groupId, string memberId) => Guard(async () =>
    {
        await inner.LeaveAsync(groupId, memberId);
        return true;
    });

    public Task CommitAsync(string groupId, string memberId, int generation, IReadOnlyList<OffsetCommit> offsets) => Guard(async () =>
    {
        await inner.CommitAsync(groupId, memberId, generation, offsets);
        return true;
    });

    public Task<IReadOnlyList<CommittedOffset>> FetchOffsetsAsync(string groupId, IReadOnlyList<TopicPartition>? partitions) => Guard(() => inner.FetchOffsetsAsync(groupId, partitions));

    private Task<T> Guard<T>(Func<Task<T>> call) =>
        _killed ? Task.FromException<T>(new OrlogException(ErrorCode.LeaderNotAvailable, "The consumer's connection is cut (test).")) : call();
}
