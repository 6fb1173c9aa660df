using System.Net;
using Orlog.Cluster;

namespace Orlog.Silo;

/// <summary>How the silo finds the other silos of its cluster.</summary>
public enum ClusteringProvider
{
    /// <summary>A cluster of this one silo on localhost (the embedded default).</summary>
    Localhost,

    /// <summary>Silos keep Orleans membership in an Azure table: a real cluster of many silos.</summary>
    AzureTable,
}

/// <summary>The silo's clustering settings (section <c>Orlog:Clustering</c>); see docs/CONFIG.md and docs/OPERATIONS.md.</summary>
public sealed class ClusteringSettings
{
    public const string SectionName = "Orlog:Clustering";

    /// <summary>Tuned for a broker: a silo that stops answering is declared dead in about 3 seconds, not Orleans' 12 (see docs/OPERATIONS.md).</summary>
    public const int DefaultProbeTimeoutMs = 1000;
    public const int DefaultMissedProbesLimit = 3;

    public ClusteringProvider Provider { get; set; } = ClusteringProvider.Localhost;

    /// <summary>With <see cref="ClusteringProvider.AzureTable"/>: a storage connection string, or leave it null and set <see cref="ServiceUri"/> (DefaultAzureCredential).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>With <see cref="ClusteringProvider.AzureTable"/>: the table endpoint, <c>https://&lt;account&gt;.table.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>With <see cref="ClusteringProvider.AzureTable"/>: the membership table. Default <c>OrlogMembership</c>.</summary>
    public string TableName { get; set; } = AzureTableClusteringOptions.DefaultTableName;

    /// <summary>The Orleans cluster id: silos (and clients) with the same one form one cluster. Default <c>orlog</c>.</summary>
    public string ClusterId { get; set; } = OrlogCluster.DefaultClusterId;

    /// <summary>The Orleans service id, stable across deployments of the same cluster. Default <c>orlog</c>.</summary>
    public string ServiceId { get; set; } = OrlogCluster.DefaultServiceId;

    /// <summary>With <see cref="ClusteringProvider.AzureTable"/>: the address other silos and clients reach this one at; default the host's first address.</summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>How long a liveness probe may go unanswered (Orleans' ProbeTimeout). Default 1000.</summary>
    public int ProbeTimeoutMs { get; set; } = DefaultProbeTimeoutMs;

    /// <summary>Missed probes before a silo suspects another (Orleans' NumMissedProbesLimit). Default 3.</summary>
    public int MissedProbesLimit { get; set; } = DefaultMissedProbesLimit;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ClusterId, "Orlog:Clustering:ClusterId");
        ArgumentException.ThrowIfNullOrWhiteSpace(ServiceId, "Orlog:Clustering:ServiceId");
        ArgumentOutOfRangeException.ThrowIfLessThan(ProbeTimeoutMs, 100, "Orlog:Clustering:ProbeTimeoutMs");
        ArgumentOutOfRangeException.ThrowIfLessThan(MissedProbesLimit, 1, "Orlog:Clustering:MissedProbesLimit");
        if (AdvertisedIP is { } address && !IPAddress.TryParse(address, out _))
        {
            throw new ArgumentException($"Orlog:Clustering:AdvertisedIP '{address}' is not an IP address.");
        }

        if (Provider == ClusteringProvider.AzureTable)
        {
            Table().Validate();
        }
    }

    /// <summary>The Azure table these settings name.</summary>
    public AzureTableClusteringOptions Table() => new() { ConnectionString = ConnectionString, ServiceUri = ServiceUri, TableName = TableName };
}
