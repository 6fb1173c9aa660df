using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orlog.Cluster;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Client;

/// <summary>
/// The Orleans connection that producers, consumers and admin clients talk through: either one
/// this object makes and owns (standalone apps), or an existing <see cref="IGrainFactory"/> /
/// <see cref="IClusterClient"/> it borrows (co-hosted in a silo or an app host with Orleans).
/// </summary>
/// <remarks>
/// A standalone connection is made lazily, on the first call that needs the cluster, or eagerly
/// with <see cref="ConnectAsync"/>; a failed attempt is retried by the next call. One
/// <see cref="OrlogClient"/> can be shared by many producers and consumers
/// (<c>builder.SetClient(client)</c>); it is thread-safe. Disposing it stops an owned connection
/// and leaves a borrowed one alone.
/// </remarks>
public sealed class OrlogClient : IAsyncDisposable, IDisposable
{
    private readonly ClientConfig? _config;
    private readonly Lock _lock = new();
    private IGrainFactory? _grainFactory;
    private Task<IHost>? _connecting;
    private IHost? _host;
    private bool _disposed;

    /// <summary>A standalone client that connects to the cluster <paramref name="config"/> describes.</summary>
    public OrlogClient(ClientConfig config)
        : this()
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
    }

    /// <summary>A co-hosted client over an Orleans connection the app already has; it is not disposed by this object.</summary>
    public OrlogClient(IGrainFactory grainFactory)
        : this()
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        _grainFactory = grainFactory;
    }

    private OrlogClient() => SiloWatch = new DeadSiloWatch(RecentlyLostSilosAsync, TimeProvider.System);

    /// <summary>Gives up on calls to silos that died; every grain call of producers, consumers and admin goes through it.</summary>
    internal DeadSiloWatch SiloWatch { get; }

    /// <summary>Connects now rather than on first use; a no-op for a co-hosted client.</summary>
    /// <exception cref="OrlogException">LEADER_NOT_AVAILABLE when no gateway answers.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        _ = await GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);

    internal ValueTask<IGrainFactory> GetGrainFactoryAsync(CancellationToken cancellationToken = default)
    {
        var factory = Volatile.Read(ref _grainFactory);
        return factory is not null ? ValueTask.FromResult(factory) : new ValueTask<IGrainFactory>(ConnectSlowAsync(cancellationToken));
    }

    private async Task<LostSilo[]> RecentlyLostSilosAsync()
    {
        var factory = await GetGrainFactoryAsync().ConfigureAwait(false);
        return await factory.GetGrain<IClusterViewGrain>(IClusterViewGrain.Key).RecentlyLostAsync().ConfigureAwait(false);
    }

    private async Task<IGrainFactory> ConnectSlowAsync(CancellationToken cancellationToken)
    {
        Task<IHost> connecting;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_grainFactory is not null)
            {
                return _grainFactory;
            }

            connecting = _connecting ??= StartHostAsync(_config!);
        }

        IHost host;
        try
        {
            host = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_lock)
            {
                if (_connecting == connecting)
                {
                    _connecting = null;
                }
            }

            throw e is OrlogException ? e : new OrlogException(
                ErrorCode.LeaderNotAvailable,
                $"Could not connect to the Orlog cluster ({Describe(_config!)}): {e.Message} Check that a broker is running and BootstrapServers (or ClusterTable), ClusterId and ServiceId match it.",
                e);
        }

        lock (_lock)
        {
            if (_disposed)
            {
                _ = host.StopAsync(CancellationToken.None);
                throw new ObjectDisposedException(nameof(OrlogClient));
            }

            _host ??= host;
            _grainFactory ??= host.Services.GetRequiredService<IClusterClient>();
            return _grainFactory;
        }
    }

    private static async Task<IHost> StartHostAsync(ClientConfig config)
    {
        var gateways = GatewayEndpoints.Parse(config.BootstrapServers);
        var endpoints = gateways.Count == 0 ? null : await GatewayEndpoints.ResolveAsync(gateways, CancellationToken.None).ConfigureAwait(false);
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                if (!string.IsNullOrWhiteSpace(config.ClusterTable))
                {
                    client.UseAzureTableClustering(AzureTableClusteringOptions.For(config.ClusterTable, config.ClusterTableName).CopyTo);
                    ConfigureCluster(client, config);
                }
                else if (endpoints is null)
                {
                    client.UseLocalhostClustering(ClientConfig.DefaultGatewayPort, config.ServiceId, config.ClusterId);
                }
                else
                {
                    client.UseStaticClustering(endpoints);
                    ConfigureCluster(client, config);
                }

                client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromMilliseconds(config.RequestTimeoutMs));
            })
            .Build();
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    private static void ConfigureCluster(IClientBuilder client, ClientConfig config) =>
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = config.ClusterId;
            options.ServiceId = config.ServiceId;
        });

    private static string Describe(ClientConfig config) =>
        !string.IsNullOrWhiteSpace(config.ClusterTable) ? $"Azure table {config.ClusterTableName}, cluster {config.ClusterId}"
        : string.IsNullOrWhiteSpace(config.BootstrapServers) ? $"localhost:{ClientConfig.DefaultGatewayPort}, cluster {config.ClusterId}"
        : $"{config.BootstrapServers}, cluster {config.ClusterId}";

    public async ValueTask DisposeAsync()
    {
        IHost? host;
        Task<IHost>? connecting;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            host = _host;
            connecting = _connecting;
        }

        if (host is null && connecting is not null)
        {
            try
            {
                host = await connecting.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The connection never came up, so there is nothing to stop; the call that connected reported the error.
                return;
            }
        }

        if (host is not null)
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            host.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
