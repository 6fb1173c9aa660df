using Orleans;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Orlog.Cluster;

/// <summary>
/// The brokers of the cluster's active silos, from Orleans membership and the broker ids the silos
/// publish as silo metadata. A silo whose metadata has not arrived yet (it just joined) is left out
/// until it has.
/// </summary>
public sealed class LiveBrokers(IClusterMembershipService membership, ISiloMetadataCache metadata, ILocalSiloDetails local, BrokerIdentity identity, IGrainFactory grains)
{
    /// <summary>Each live broker with its silo; of two silos claiming one broker id, the newer.</summary>
    public IReadOnlyList<(BrokerIdentity Broker, SiloAddress Silo)> Current()
    {
        var brokers = new Dictionary<int, (BrokerIdentity Broker, SiloAddress Silo)>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active)
            {
                continue;
            }

            var broker = member.SiloAddress.Equals(local.SiloAddress)
                ? identity
                : BrokerIdentity.FromSiloMetadata(metadata.GetSiloMetadata(member.SiloAddress).Metadata);
            if (broker is not null && (!brokers.TryGetValue(broker.BrokerId, out var seen) || seen.Silo.Generation < member.SiloAddress.Generation))
            {
                brokers[broker.BrokerId] = (broker, member.SiloAddress);
            }
        }

        return [.. brokers.Values.OrderBy(b => b.Broker.BrokerId)];
    }

    /// <summary>
    /// The broker leading <paramref name="partition"/> (the controller's answer; -1 when it has none or the partition is offline) and
    /// that broker's silo, or null when it is down.
    /// </summary>
    public async Task<(int Broker, SiloAddress? Silo)> LeaderOfAsync(TopicPartition partition)
    {
        var leader = (await grains.GetGrain<IControllerGrain>(IControllerGrain.Key).LeadershipAsync(partition))?.Leader ?? -1;
        return BrokerAndSilo(leader);
    }

    /// <summary><paramref name="brokerId"/> with its silo, or null when it is down (or is -1: none).</summary>
    public (int Broker, SiloAddress? Silo) BrokerAndSilo(int brokerId) => (brokerId, brokerId >= 0 ? SiloOf(brokerId) : null);

    /// <summary>The silo of a live broker, or null when it is down.</summary>
    public SiloAddress? SiloOf(int brokerId)
    {
        foreach (var (broker, silo) in Current())
        {
            if (broker.BrokerId == brokerId)
            {
                return silo;
            }
        }

        return null;
    }
}
