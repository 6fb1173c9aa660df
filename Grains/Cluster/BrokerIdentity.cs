using System.Globalization;

namespace Orlog.Cluster;

/// <summary>Who this silo is as a broker: an id that stays with its data directory, and the zone it runs in.</summary>
/// <param name="BrokerId">Kafka's <c>node.id</c>: the broker's number in the cluster, kept in <c>meta.json</c>.</param>
/// <param name="Zone">Kafka's <c>broker.rack</c>: the availability zone, for spreading replicas; null when the cluster has none.</param>
public sealed record BrokerIdentity(int BrokerId, string? Zone)
{
    /// <summary>The Orleans silo-metadata key holding the broker id.</summary>
    public const string BrokerIdMetadataKey = "orlog.broker.id";

    /// <summary>The Orleans silo-metadata key holding the zone (absent when there is none).</summary>
    public const string ZoneMetadataKey = "orlog.zone";

    /// <summary>What the silo publishes as Orleans silo metadata.</summary>
    public Dictionary<string, string> ToSiloMetadata()
    {
        var metadata = new Dictionary<string, string> { [BrokerIdMetadataKey] = BrokerId.ToString(CultureInfo.InvariantCulture) };
        if (Zone is { } zone)
        {
            metadata[ZoneMetadataKey] = zone;
        }

        return metadata;
    }

    /// <summary>The identity a silo published, or null when its metadata names no broker (not an Orlog silo, or not fetched yet).</summary>
    public static BrokerIdentity? FromSiloMetadata(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(BrokerIdMetadataKey, out var id) && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var brokerId)
            ? new BrokerIdentity(brokerId, metadata.GetValueOrDefault(ZoneMetadataKey))
            : null;
}
