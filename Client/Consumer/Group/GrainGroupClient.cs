using Orlog.Errors;
using Orlog.Groups;

namespace Orlog.Client;

/// <summary>Talks to <see cref="IConsumerGroupGrain"/>.</summary>
internal sealed class GrainGroupClient(OrlogClient client) : IGroupClient
{
    public Task<GroupAssignment> JoinAsync(string groupId, JoinGroupRequest request) =>
        CallAsync(groupId, "Join", group => group.JoinAsync(request));

    public Task<GroupAssignment> SyncAsync(string groupId, string memberId, int generation, IReadOnlyList<TopicPartition> owned) =>
        CallAsync(groupId, "Sync", group => group.SyncAsync(memberId, generation, owned));

    public Task<HeartbeatResult> HeartbeatAsync(string groupId, string memberId, int generation, TimeSpan maxWait) =>
        CallAsync(groupId, "Heartbeat", group => group.HeartbeatAsync(memberId, generation, maxWait), maxWait);

    public Task LeaveAsync(string groupId, string memberId) =>
        CallAsync(groupId, "Leave", async group =>
        {
            await group.LeaveAsync(memberId).ConfigureAwait(false);
            return true;
        });

    public Task CommitAsync(string groupId, string memberId, int generation, IReadOnlyList<OffsetCommit> offsets) =>
        CallAsync(groupId, "Commit", async group =>
        {
            await group.CommitOffsetsAsync(memberId, generation, offsets).ConfigureAwait(false);
            return true;
        });

    public Task<IReadOnlyList<CommittedOffset>> FetchOffsetsAsync(string groupId, IReadOnlyList<TopicPartition>? partitions) =>
        CallAsync(groupId, "Fetch committed offsets", group => group.FetchOffsetsAsync(partitions));

    private async Task<T> CallAsync<T>(string groupId, string operation, Func<IConsumerGroupGrain, Task<T>> call, TimeSpan serverWait = default)
    {
        try
        {
            var factory = await client.GetGrainFactoryAsync().ConfigureAwait(false);
            return await client.SiloWatch.AwaitAsync(call(factory.GetGrain<IConsumerGroupGrain>(groupId)), (operation, groupId), static s => $"{s.operation} of group {s.groupId}", serverWait).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException)
        {
            throw ClusterErrors.Translate(e, $"{operation} of group {groupId}");
        }
    }
}
