using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orlog.Cluster;
using Orlog.Groups;
using Orlog.Log;
using Orlog.Metrics;
using Orlog.Replication;
using Orlog.Storage;
using Orlog.Tiering;

namespace Orlog.Hosting;

/// <summary>Adds the Orlog broker (partition logs, metrics) to an Orleans silo.</summary>
public static class OrlogSiloBuilderExtensions
{
    /// <summary>
    /// Registers the silo's <see cref="LogManager"/> (started with the host, closed cleanly when the
    /// host's services are disposed, after the silo has stopped), <see cref="BrokerMetrics"/>, and
    /// consumer-group settings (<see cref="ConsumerGroupOptions"/>, configure with
    /// <c>services.Configure&lt;ConsumerGroupOptions&gt;</c>) with their offset expiry.
    /// The silo is <paramref name="broker"/> (published as silo metadata), partition grains are placed on
    /// the silo of the broker that leads them and follower grains on their broker's silo
    /// (<see cref="PartitionPlacementDirector"/>), replication follows <see cref="ReplicationOptions"/>
    /// (<c>services.Configure&lt;ReplicationOptions&gt;</c>), and the controller hears of brokers coming and going.
    /// Grain storage for metadata (<see cref="OrlogStorage.Metadata"/>) is registered separately.
    /// </summary>
    public static ISiloBuilder AddOrlogBroker(this ISiloBuilder builder, BrokerIdentity broker, Action<LogManagerOptions> configureLogs)
    {
        var services = builder.Services;
        services.AddSingleton(broker);
        builder.UseSiloMetadata(broker.ToSiloMetadata());
        services.AddSingleton<LiveBrokers>();
        services.AddHostedService<BrokerWatcher>();
        services.AddSingleton<SiloDeaths>();
        services.AddHostedService(provider => provider.GetRequiredService<SiloDeaths>());
        builder.AddPlacementDirector<PartitionPlacement, PartitionPlacementDirector>();
        builder.AddPlacementDirector<FollowerPlacement, PartitionPlacementDirector>();
        services.AddOptions<ReplicationOptions>().Validate(options =>
        {
            options.Validate();
            return true;
        });
        services.AddOptions<LogManagerOptions>().Configure(configureLogs).Validate(options =>
        {
            options.Validate();
            return true;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(provider => new LogManager(
            provider.GetRequiredService<IOptions<LogManagerOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BrokerMetrics>();
        services.AddHostedService<LogManagerStarter>();
        services.AddOptions<ConsumerGroupOptions>().Validate(options =>
        {
            options.Validate();
            return true;
        });
        services.AddHostedService<OffsetsExpiryService>();
        return builder;
    }

    /// <summary>Where the file grain storage keeps metadata in a data directory: <c>&lt;dataDir&gt;/metadata</c>.</summary>
    public static string MetadataDirectory(string dataDir) => Path.Combine(dataDir, "metadata");

    /// <summary>The embedded default's cold tier (remote segments) in a data directory: <c>&lt;dataDir&gt;/cold</c>.</summary>
    public static string ColdDirectory(string dataDir) => Path.Combine(dataDir, "cold");

    /// <summary>Where the partition logs of a data directory live: <c>&lt;dataDir&gt;/logs</c>.</summary>
    public static string LogsDirectory(string dataDir) => Path.Combine(dataDir, "logs");

    /// <summary>
    /// The broker with everything on one local data directory: partition logs in
    /// <c>&lt;dataDir&gt;/logs</c>, the cold tier of topics with remote storage in <c>&lt;dataDir&gt;/cold</c>,
    /// metadata (topic specs, groups) in <c>&lt;dataDir&gt;/metadata</c> through the file grain storage,
    /// the broker id in <c>&lt;dataDir&gt;/meta.json</c>. The in-process test clusters use it.
    /// </summary>
    public static ISiloBuilder AddOrlogOnLocalDisk(this ISiloBuilder builder, string dataDir, Action<LogManagerOptions>? configureLogs = null)
    {
        builder.AddOrlogBroker(BrokerMetaFile.LoadOrCreate(dataDir), logs =>
        {
            logs.DataDirectory = LogsDirectory(dataDir);
            configureLogs?.Invoke(logs);
        });
        builder.AddOrlogLocalTiering(ColdDirectory(dataDir));
        return builder.AddFileGrainStorage(OrlogStorage.Metadata, storage => storage.RootDirectory = MetadataDirectory(dataDir));
    }
}
