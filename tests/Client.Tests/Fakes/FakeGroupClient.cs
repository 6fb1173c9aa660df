using Orlog.Groups;

namespace Orlog.Client;

/// <summary>A group that only keeps committed offsets (for consumers with a manual assignment); membership calls are not expected.</summary>
internal sealed class FakeGroupClient : IGroupClient
{
    private readonly Dictionary<TopicPartition, long> _committed = [];

    public IReadOnlyDictionary<TopicPartition, long> Committed => _committed;

    public Task CommitAsync(string groupId, string memberId, int generation, IReadOnlyList<OffsetCommit> offsets)
    {
        foreach (var offset in offsets)
        {
            _committed[offset.Partition] = offset.Offset;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CommittedOffset>> FetchOffsetsAsync(string groupId, IReadOnlyList<TopicPartition>? partitions) =>
        Task.FromResult<IReadOnlyList<CommittedOffset>>([.. _committed.Select(c => new CommittedOffset(c.Key, c.Value, null, DateTimeOffset.UnixEpoch))]);

    public Task<GroupAssignment> JoinAsync(string groupId, JoinGroupRequest request) => throw new NotSupportedException();

    public Task<GroupAssignment> SyncAsync(string groupId, string memberId, int generation, IReadOnlyList<TopicPartition> owned) => throw new NotSupportedException();

    public Task<HeartbeatResult> HeartbeatAsync(string groupId, string memberId, int generation, TimeSpan maxWait) => throw new NotSupportedException();

    public Task LeaveAsync(string groupId, string memberId) => throw new NotSupportedException();
}
