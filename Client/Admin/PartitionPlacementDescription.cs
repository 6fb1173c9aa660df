namespace Orlog.Client;

/// <summary>Where one partition of a topic lives.</summary>
/// <param name="Leader">The broker leading it; -1 when it has none (offline, or not placed yet).</param>
/// <param name="Replicas">The brokers holding a replica, the preferred leader first.</param>
/// <param name="Online">Whether the leader's broker is live: an offline partition answers LEADER_NOT_AVAILABLE.</param>
/// <param name="Isr">The in-sync replicas: the leader and the followers caught up with it.</param>
/// <param name="LeaderEpoch">Raised on every change of leader.</param>
/// <param name="Target">While the partition is being moved (<see cref="IAdminClient.AlterPartitionReassignmentsAsync"/>), the replicas it moves to; null otherwise.</param>
public sealed record PartitionPlacementDescription(int Partition, int Leader, IReadOnlyList<int> Replicas, bool Online, IReadOnlyList<int> Isr, int LeaderEpoch, IReadOnlyList<int>? Target = null);
