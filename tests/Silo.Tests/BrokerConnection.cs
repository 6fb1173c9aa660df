using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orlog.Cluster;

namespace Orlog.Silo;

/// <summary>A plain Orleans client connected to a <see cref="SiloProcess"/>'s gateway.</summary>
public sealed class BrokerConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private BrokerConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public static async Task<BrokerConnection> ConnectAsync(SiloProcess silo)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client => client.UseLocalhostClustering(silo.GatewayPort, OrlogCluster.DefaultServiceId, OrlogCluster.DefaultClusterId))
            .Build();
        await host.StartAsync();
        return new BrokerConnection(host);
    }

    /// <summary>A client of an Azure Table cluster: it finds the live gateways in the membership table.</summary>
    public static async Task<BrokerConnection> ConnectAsync(string tableConnectionString, string clusterId)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.UseAzureTableClustering(table => table.ConnectionString = tableConnectionString);
                client.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = clusterId;
                    cluster.ServiceId = OrlogCluster.DefaultServiceId;
                });
            })
            .Build();
        await host.StartAsync();
        return new BrokerConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The silo is gone (killed on purpose); nothing to close gracefully.
        }

        _host.Dispose();
    }
}
