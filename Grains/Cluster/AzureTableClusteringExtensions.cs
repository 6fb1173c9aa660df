using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Orlog.Cluster;

/// <summary>Orleans clustering on Azure Table Storage for silos: the membership table. Clients: <see cref="AzureTableClientClusteringExtensions"/>.</summary>
public static class AzureTableClusteringExtensions
{
    /// <summary>
    /// Makes the silo keep the cluster's membership in an Azure table (one partition per cluster id).
    /// The options are validated when the silo starts.
    /// </summary>
    public static ISiloBuilder UseAzureTableClustering(this ISiloBuilder builder, Action<AzureTableClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddAzureTableClusteringOptions(configure);
        builder.Services.AddSingleton<IMembershipTable, AzureTableMembershipTable>();
        return builder;
    }
}
