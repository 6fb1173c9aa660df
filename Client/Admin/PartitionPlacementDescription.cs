namespace Orlog.Client;

/// <summary>Where one partition of a topic lives.</summary>
/// <param name="Leader">The broker leading it; -1 when it has none yet.</param>
/// <param name="Replicas">The brokers holding a replica, the leader first.</param>
/// <param name="Online">Whether the leader's broker is live: an offline partition answers LEADER_NOT_AVAILABLE.</param>
public sealed record PartitionPlacementDescription(int Partition, int Leader, IReadOnlyList<int> Replicas, bool Online);
