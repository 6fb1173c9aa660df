using Orleans;

namespace Orlog.Cluster;

/// <summary>
/// Who holds and who leads one partition, as the controller decided it (Kafka's LeaderAndIsr).
/// </summary>
/// <param name="Replicas">The brokers holding a replica; the first is the preferred leader.</param>
/// <param name="Leader">The broker leading now; -1 while the partition is offline (no in-sync replica live).</param>
/// <param name="LeaderEpoch">Raised on every change of leader; followers refuse pushes from an older epoch.</param>
/// <param name="Isr">The in-sync replicas: the leader and the followers caught up within <c>replica.lag.time.max.ms</c>.</param>
/// <param name="Version">Raised on every change; an ISR change names the version it saw and is refused if another came first.</param>
/// <param name="Target">
/// While a reassignment runs, the replicas it moves the partition to (<paramref name="Replicas"/> then holds the old
/// ones followed by the new ones, which catch up as followers); null otherwise.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.partition-leadership")]
public sealed record PartitionLeadership(
    [property: Id(0)] int[] Replicas,
    [property: Id(1)] int Leader,
    [property: Id(2)] int LeaderEpoch,
    [property: Id(3)] int[] Isr,
    [property: Id(4)] int Version,
    [property: Id(5)] int[]? Target = null)
{
    /// <summary>A new partition: the first replica leads at epoch 0 and every replica is in sync (all are empty).</summary>
    public static PartitionLeadership New(int[] replicas) => new(replicas, replicas[0], 0, replicas, 0);

    public bool InSync(int broker) => Array.IndexOf(Isr, broker) >= 0;
}
