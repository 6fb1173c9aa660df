using Orlog.Errors;

namespace Orlog.Cluster;

/// <summary>
/// Chooses replica lists for new partitions: each replica on a different broker, in a different
/// zone while there is an unused one, and every choice the least loaded broker — first by what the
/// topic already has there (so a topic spreads evenly), then by its zone's share of the topic (so
/// zones fill evenly), then by everything the broker holds (so topics balance across the cluster).
/// </summary>
public static class ReplicaPlacement
{
    /// <param name="brokers">The live brokers.</param>
    /// <param name="existing">Replica lists of every partition in the cluster (all topics), to balance against.</param>
    /// <param name="topicReplicas">The topic's own replica lists so far; the new ones are appended to it.</param>
    /// <exception cref="OrlogException">INVALID_REPLICATION_FACTOR when fewer brokers are live than <paramref name="replicationFactor"/>.</exception>
    public static void AssignNew(IReadOnlyList<BrokerIdentity> brokers, IEnumerable<int[]> existing, List<int[]> topicReplicas, int partitions, int replicationFactor)
    {
        if (replicationFactor < 1 || replicationFactor > brokers.Count)
        {
            throw new OrlogException(ErrorCode.InvalidReplicationFactor, $"Replication factor {replicationFactor} needs as many live brokers; {brokers.Count} are live.");
        }

        var zoneOf = brokers.ToDictionary(b => b.BrokerId, b => b.Zone ?? "");
        var total = new Dictionary<int, int>();
        foreach (var replicas in existing)
        {
            foreach (var broker in replicas)
            {
                total[broker] = total.GetValueOrDefault(broker) + 1;
            }
        }

        var inTopic = new Dictionary<int, int>();
        var leadersInTopic = new Dictionary<int, int>();
        var zoneInTopic = new Dictionary<string, int>();
        void Count(int[] replicas)
        {
            leadersInTopic[replicas[0]] = leadersInTopic.GetValueOrDefault(replicas[0]) + 1;
            foreach (var broker in replicas)
            {
                inTopic[broker] = inTopic.GetValueOrDefault(broker) + 1;
                var zone = zoneOf.GetValueOrDefault(broker, "");
                zoneInTopic[zone] = zoneInTopic.GetValueOrDefault(zone) + 1;
            }
        }

        topicReplicas.ForEach(Count);
        while (topicReplicas.Count < partitions)
        {
            var chosen = new int[replicationFactor];
            var usedZones = new HashSet<string>();
            for (var r = 0; r < replicationFactor; r++)
            {
                var leading = r == 0;
                var best = brokers
                    .Where(b => Array.IndexOf(chosen, b.BrokerId, 0, r) < 0)
                    .MinBy(b => (
                        usedZones.Contains(zoneOf[b.BrokerId]) ? 1 : 0,
                        leading ? leadersInTopic.GetValueOrDefault(b.BrokerId) : 0,
                        inTopic.GetValueOrDefault(b.BrokerId),
                        zoneInTopic.GetValueOrDefault(zoneOf[b.BrokerId]),
                        total.GetValueOrDefault(b.BrokerId),
                        b.BrokerId))!;
                chosen[r] = best.BrokerId;
                usedZones.Add(zoneOf[best.BrokerId]);
            }

            foreach (var broker in chosen)
            {
                total[broker] = total.GetValueOrDefault(broker) + 1;
            }

            Count(chosen);
            topicReplicas.Add(chosen);
        }
    }
}
