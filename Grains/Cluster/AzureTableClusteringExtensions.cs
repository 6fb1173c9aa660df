using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Messaging;

namespace Orlog.Cluster;

/// <summary>Orleans clustering on Azure Table Storage: the membership table for silos, the gateway list for clients.</summary>
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
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IMembershipTable, AzureTableMembershipTable>();
        return builder;
    }

    /// <summary>Makes the client find the cluster's gateways in the Azure table its silos write.</summary>
    public static IClientBuilder UseAzureTableClustering(this IClientBuilder builder, Action<AzureTableClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IGatewayListProvider, AzureTableGatewayListProvider>();
        return builder;
    }

    private static void AddOptions(IServiceCollection services, Action<AzureTableClusteringOptions> configure)
    {
        services.AddOptions<AzureTableClusteringOptions>().Configure(configure);
        services.AddTransient<IConfigurationValidator>(provider => new OptionsValidator(provider.GetRequiredService<IOptions<AzureTableClusteringOptions>>()));
    }

    private sealed class OptionsValidator(IOptions<AzureTableClusteringOptions> options) : IConfigurationValidator
    {
        public void ValidateConfiguration() => options.Value.Validate();
    }
}
