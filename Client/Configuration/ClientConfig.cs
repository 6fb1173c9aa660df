using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Settings every Orlog client shares: where the cluster is and how long a request may take.</summary>
/// <remarks>
/// Only used when the client makes its own Orleans connection. A client handed an existing
/// <c>IClusterClient</c> or <c>IGrainFactory</c> (co-hosted in a silo or an app host that already
/// runs Orleans) uses that connection as it is.
/// </remarks>
public class ClientConfig
{
    public const string DefaultClusterId = OrlogCluster.DefaultClusterId;
    public const string DefaultServiceId = OrlogCluster.DefaultServiceId;
    public const int DefaultGatewayPort = 30000;
    public const int DefaultRequestTimeoutMs = 30_000;

    /// <summary>
    /// Kafka's <c>bootstrap.servers</c>: a comma-separated list of silo gateway endpoints
    /// (<c>host:port</c>). Null or empty (the default) uses Orleans localhost clustering on
    /// <see cref="DefaultGatewayPort"/>, which is what the embedded single-node broker listens on.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>
    /// A cluster whose silos keep their membership in an Azure table: the storage connection string, or
    /// the table service endpoint (<c>https://&lt;account&gt;.table.core.windows.net</c>, reached with
    /// DefaultAzureCredential). The client finds the live gateways there. Leave null to use
    /// <see cref="BootstrapServers"/>; setting both is an error.
    /// </summary>
    public string? ClusterTable { get; set; }

    /// <summary>The Azure table of <see cref="ClusterTable"/>; default <c>OrlogMembership</c>.</summary>
    public string ClusterTableName { get; set; } = Cluster.AzureTableClusteringOptions.DefaultTableName;

    /// <summary>The Orleans cluster id of the brokers; default <c>orlog</c>, as the silo's.</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>The Orleans service id of the brokers; default <c>orlog</c>.</summary>
    public string ServiceId { get; set; } = DefaultServiceId;

    /// <summary>
    /// Kafka's <c>request.timeout.ms</c>: how long one grain call may take before it fails with
    /// REQUEST_TIMED_OUT (the Orleans response timeout of the client's own connection). Default 30000.
    /// </summary>
    public int RequestTimeoutMs { get; set; } = DefaultRequestTimeoutMs;

    /// <exception cref="OrlogException">INVALID_CONFIG, naming the setting and what it must be.</exception>
    public virtual void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ClusterId), "ClusterId must not be empty.");
        Require(!string.IsNullOrWhiteSpace(ServiceId), "ServiceId must not be empty.");
        Require(RequestTimeoutMs > 0, $"RequestTimeoutMs must be positive; it is {RequestTimeoutMs}.");
        _ = GatewayEndpoints.Parse(BootstrapServers);
        Require(string.IsNullOrWhiteSpace(ClusterTable) || string.IsNullOrWhiteSpace(BootstrapServers), "Set BootstrapServers or ClusterTable, not both.");
        Require(string.IsNullOrWhiteSpace(ClusterTable) || Cluster.AzureTableClusteringOptions.IsValidTableName(ClusterTableName), $"ClusterTableName '{ClusterTableName}' is not a valid Azure table name.");
    }

    /// <exception cref="OrlogException">INVALID_CONFIG with <paramref name="message"/> when <paramref name="condition"/> is false.</exception>
    protected static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new OrlogException(ErrorCode.InvalidConfig, message);
        }
    }
}
