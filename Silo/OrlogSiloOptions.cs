namespace Orlog.Silo;

/// <summary>
/// The silo's settings (configuration section <c>Orlog</c>): appsettings.json, environment
/// (<c>Orlog__DataDir</c>) or command line (<c>--Orlog:DataDir=/var/orlog</c>). See docs/CONFIG.md.
/// </summary>
public sealed class OrlogSiloOptions
{
    public const string SectionName = "Orlog";

    /// <summary>Section of the consumer-group settings (<see cref="Groups.ConsumerGroupOptions"/>), such as <c>Orlog:Groups:OffsetsRetentionMinutes</c>.</summary>
    public const string GroupsSectionName = "Orlog:Groups";

    /// <summary>Section of the replication settings (<see cref="Replication.ReplicationOptions"/>), such as <c>Orlog:Replication:ReplicaLagTimeMaxMs</c>.</summary>
    public const string ReplicationSectionName = "Orlog:Replication";
    public const string DefaultDataDir = "./data";
    public const int DefaultHttpPort = 8080;
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    /// <summary>Root of everything the broker stores: <c>meta.json</c> (the broker id), <c>logs/</c> (partition logs), <c>metadata/</c> and <c>cold/</c> (with the local providers).</summary>
    public string DataDir { get; set; } = DefaultDataDir;

    /// <summary>Port of the HTTP endpoints: the dashboard (<c>/dashboard</c>) and <c>/healthz</c>.</summary>
    public int HttpPort { get; set; } = DefaultHttpPort;

    /// <summary>
    /// Optional port, on every address, that serves <c>/healthz</c> and nothing else: for probes from outside the
    /// host (Kubernetes), while the dashboard stays on <see cref="HttpPort"/>, which listens on localhost only.
    /// </summary>
    public int? HealthPort { get; set; }

    /// <summary>Port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>Port Orleans clients (the client library, the CLI) connect to.</summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>
    /// Kafka's <c>node.id</c>: this silo's broker id. Optional: a data directory without one gets a
    /// generated id, kept in <c>&lt;DataDir&gt;/meta.json</c>; a configured id must match that file.
    /// </summary>
    public int? BrokerId { get; set; }

    /// <summary>Kafka's <c>broker.rack</c>: the availability zone, so partitions spread over zones. Optional.</summary>
    public string? Zone { get; set; }

    /// <summary>
    /// Take <see cref="Zone"/> from the Azure Instance Metadata Service at start: the zone of the VM the silo runs on
    /// (in AKS, the node's). The silo does not start when the service does not answer. Not with <see cref="Zone"/>.
    /// </summary>
    public bool ZoneFromInstanceMetadata { get; set; }

    /// <summary>Where the Azure Instance Metadata Service answers (the link-local address in Azure; another for tests).</summary>
    public Uri InstanceMetadataEndpoint { get; set; } = new(AzureInstanceMetadata.DefaultEndpoint);

    /// <summary>Most segment files open at once across all partitions.</summary>
    public int MaxOpenSegmentFiles { get; set; } = Log.Files.FileHandleCache.DefaultCapacity;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DataDir, "Orlog:DataDir");
        foreach (var (name, port) in new[] { ("Orlog:HttpPort", HttpPort), ("Orlog:SiloPort", SiloPort), ("Orlog:GatewayPort", GatewayPort) })
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(port, 1, name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, name);
        }

        if (HealthPort is { } health)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(health, 1, "Orlog:HealthPort");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(health, 65535, "Orlog:HealthPort");
            if (health == HttpPort)
            {
                throw new ArgumentException("Orlog:HealthPort must differ from Orlog:HttpPort: the dashboard's port listens on localhost only.", "Orlog:HealthPort");
            }
        }

        if (ZoneFromInstanceMetadata && !string.IsNullOrWhiteSpace(Zone))
        {
            throw new ArgumentException("Set Orlog:Zone or Orlog:ZoneFromInstanceMetadata, not both.", "Orlog:ZoneFromInstanceMetadata");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOpenSegmentFiles, 1, "Orlog:MaxOpenSegmentFiles");
        if (BrokerId is { } brokerId)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(brokerId, "Orlog:BrokerId");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerId, Cluster.BrokerMetaFile.MaxConfiguredBrokerId, "Orlog:BrokerId");
        }
    }
}
