using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Messaging;

namespace Orlog.Cluster;

/// <summary>Orleans clustering on Azure Table Storage for clients: the gateway list the silos' membership rows make.</summary>
public static class AzureTableClientClusteringExtensions
{
    /// <summary>Makes the client find the cluster's gateways in the Azure table its silos write.</summary>
    public static IClientBuilder UseAzureTableClustering(this IClientBuilder builder, Action<AzureTableClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddAzureTableClusteringOptions(configure);
        builder.Services.AddSingleton<IGatewayListProvider, AzureTableGatewayListProvider>();
        return builder;
    }

    /// <summary>Registers the options, validated when the silo or client starts.</summary>
    public static IServiceCollection AddAzureTableClusteringOptions(this IServiceCollection services, Action<AzureTableClusteringOptions> configure)
    {
        services.AddOptions<AzureTableClusteringOptions>().Configure(configure);
        services.AddTransient<IConfigurationValidator>(provider => new OptionsValidator(provider.GetRequiredService<IOptions<AzureTableClusteringOptions>>()));
        return services;
    }

    private sealed class OptionsValidator(IOptions<AzureTableClusteringOptions> options) : IConfigurationValidator
    {
        public void ValidateConfiguration() => options.Value.Validate();
    }
}
