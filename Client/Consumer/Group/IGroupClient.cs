using Orlog.Groups;

namespace Orlog.Client;

/// <summary>The calls a consumer makes on its group; a seam for tests without a cluster.</summary>
/// <remarks>Each call fails only with <see cref="Errors.OrlogException"/> (transport failures translated).</remarks>
internal interface IGroupClient
{
    Task<GroupAssignment> JoinAsync(string groupId, JoinGroupRequest request);

    Task<GroupAssignment> SyncAsync(string groupId, string memberId, int generation, IReadOnlyList<TopicPartition> owned);

    Task<HeartbeatResult> HeartbeatAsync(string groupId, string memberId, int generation, TimeSpan maxWait);

    Task LeaveAsync(string groupId, string memberId);

    Task CommitAsync(string groupId, string memberId, int generation, IReadOnlyList<OffsetCommit> offsets);

    Task<IReadOnlyList<CommittedOffset>> FetchOffsetsAsync(string groupId, IReadOnlyList<TopicPartition>? partitions);
}
