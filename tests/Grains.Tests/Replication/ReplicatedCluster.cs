using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Concurrency;
using Orleans.Configuration;
using Orleans.TestingHost;
using Orlog.Cluster;
using Orlog.Hosting;
using Orlog.Log;
using Orlog.Partitions;
using Orlog.Storage;
using Orlog.Testing;
using Orlog.Tiering;
using Orlog.Topics;
using Xunit;

namespace Orlog.Replication;

/// <summary>
/// An in-process cluster of broker silos (TestingHost), each with its own data directory (so a restarted
/// silo is the same broker) and a shared metadata store and cold tier. Every log line of any silo pulses
/// <see cref="Changed"/>, so tests wait on cluster state with a deadline instead of sleeping.
/// </summary>
internal sealed class ReplicatedCluster : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    public const int ReplicaLagTimeMaxMs = 1_000;
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one question to the controller may take before it counts as "not yet" and is asked again.</summary>
    private static readonly TimeSpan LeadershipTimeout = TimeSpan.FromSeconds(3);

    private readonly TempDirectory _root = new();
    private readonly List<InProcessSiloHandle> _silos = [];

    private ReplicatedCluster()
    {
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public ChangeSignal Changed { get; } = new();

    public IClusterClient Client => Cluster.Client;

    public IControllerGrain Controller => Client.GetGrain<IControllerGrain>(IControllerGrain.Key);

    public static async Task<ReplicatedCluster> StartAsync(int silos)
    {
        var cluster = new ReplicatedCluster();
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((options, silo) => cluster.Configure(options.SiloName, silo));
        cluster.Cluster = builder.Build();
        await cluster.Cluster.DeployAsync();
        cluster._silos.AddRange(cluster.Cluster.Silos);
        return cluster;
    }

    /// <summary>The broker that <paramref name="silo"/> is.</summary>
    public static int BrokerOf(InProcessSiloHandle silo) => Services(silo).GetRequiredService<BrokerIdentity>().BrokerId;

    public InProcessSiloHandle SiloOf(int broker) => _silos.Single(s => BrokerOf(s) == broker);

    /// <summary>Stops a silo without a clean shutdown, as a crash would (its data directory stays).</summary>
    public async Task KillAsync(InProcessSiloHandle silo)
    {
        _silos.Remove(silo);
        await Cluster.KillSiloAsync(silo, TestContext.Current.CancellationToken);
    }

    /// <summary>Starts a killed silo again on its data directory (same instance, same name): the same broker comes back.</summary>
    public async Task RestartAsync(InProcessSiloHandle silo) =>
        _silos.Add(await Cluster.StartSiloAsync(silo.InstanceNumber, Cluster.Options, TestContext.Current.CancellationToken));

    /// <summary>The partition's log on <paramref name="broker"/>'s silo, if that silo has it open.</summary>
    public PartitionLog? LogOn(int broker, TopicPartition partition) =>
        Services(SiloOf(broker)).GetRequiredService<LogManager>().TryGet(partition, out var log) ? log : null;

    /// <summary>A tiering pass on <paramref name="broker"/>'s copy of the partition (closed segments to the cold tier), then local retention; returns that log.</summary>
    public async Task<PartitionLog> TierAndTrimAsync(int broker, TopicPartition partition)
    {
        var log = LogOn(broker, partition) ?? throw new InvalidOperationException($"Broker {broker} has no open log of {partition}.");
        await Services(SiloOf(broker)).GetRequiredService<RemoteTier>().RunAsync(partition, log, TestContext.Current.CancellationToken);
        log.ApplyRetention();
        return log;
    }

    /// <summary>Closes <paramref name="broker"/>'s copy of the partition in its log manager: the next use opens it afresh.</summary>
    public Task CloseLogOnAsync(int broker, TopicPartition partition) =>
        Services(SiloOf(broker)).GetRequiredService<LogManager>().CloseAsync(partition);

    /// <summary>Whether <paramref name="broker"/>'s data directory holds files of the partition.</summary>
    public bool HasDataOn(int broker, TopicPartition partition) =>
        Services(SiloOf(broker)).GetRequiredService<LogManager>().ListPartitionsOnDisk().Contains(partition);

    public async Task<TopicPartition> CreateTopicAsync(short replicationFactor, Dictionary<string, string>? configs = null)
    {
        var topic = $"rp-{Guid.NewGuid():N}"[..16];
        await Client.GetGrain<ITopicGrain>(topic).CreateAsync(new TopicSpec(topic, 1, replicationFactor, configs ?? []));
        return new TopicPartition(topic, 0);
    }

    public IPartitionGrain Partition(TopicPartition partition) => Client.GetGrain<IPartitionGrain>(PartitionKey.Format(partition.Topic, partition.Partition));

    public async Task<PartitionLeadership> LeadershipAsync(TopicPartition partition) =>
        await Controller.LeadershipAsync(partition) ?? throw new InvalidOperationException($"The controller has no {partition}.");

    /// <summary>Waits until the controller's leadership of the partition satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<PartitionLeadership> UntilLeadershipAsync(TopicPartition partition, Func<PartitionLeadership, bool> condition, string what)
    {
        PartitionLeadership? last = null;
        await UntilAsync(async () => condition(last = await LeadershipAsync(partition).WaitAsync(LeadershipTimeout)), () => $"{what} (last: leader {last?.Leader}, epoch {last?.LeaderEpoch}, ISR [{string.Join(',', last?.Isr ?? [])}])");
        return last!;
    }

    /// <summary>Produces a batch of <paramref name="records"/> until the partition takes it (it may be between leaders).</summary>
    public Task<ProduceResult> ProduceUntilTakenAsync(TopicPartition partition, int records, Acks acks) =>
        ProduceUntilTakenAsync(partition, () => TestBatches.Build(records, 10, 1_700_000_000_000), acks);

    /// <summary>Produces the batch <paramref name="batch"/> makes (afresh for each try) until the partition takes it; returns the result.</summary>
    public async Task<ProduceResult> ProduceUntilTakenAsync(TopicPartition partition, Func<byte[]> batch, Acks acks)
    {
        ProduceResult result = default;
        await UntilAsync(
            async () =>
            {
                try
                {
                    result = await Partition(partition).ProduceAsync(new Immutable<byte[]>(batch()), acks);
                    return true;
                }
                catch (Errors.OrlogException error) when (error.Code is Errors.ErrorCode.NotLeaderOrFollower or Errors.ErrorCode.LeaderNotAvailable or Errors.ErrorCode.NotEnoughReplicas or Errors.ErrorCode.FencedLeaderEpoch)
                {
                    return false;
                }
            },
            () => $"{partition} takes a produce");
        return result;
    }

    /// <summary>
    /// Checks <paramref name="condition"/> again at every log line of the cluster (and at least every
    /// <see cref="RecheckAfter"/>, for changes no line announces) until it holds; fails after <see cref="Deadline"/>.
    /// Orleans' transient errors (a dead gateway, a silo just gone) and timeouts count as "not yet".
    /// </summary>
    public async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var until = DateTime.UtcNow + Deadline;
        Exception? unreachable = null;
        while (true)
        {
            var changed = Changed.Next;
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (OrleansException error)
            {
                // The client's gateway died with its silo, or a call reached a silo that just went: ask again.
                unreachable = error;
            }
            catch (TimeoutException error)
            {
                // A question to the controller, asked just before its silo died, would be answered only at the response timeout: ask again.
                unreachable = error;
            }

            var remaining = until - DateTime.UtcNow;
            Assert.True(remaining > TimeSpan.Zero, $"Timed out waiting until {what()}; last transient error: {unreachable?.Message ?? "none"}.");
            try
            {
                await changed.WaitAsync(remaining < RecheckAfter ? remaining : RecheckAfter);
            }
            catch (TimeoutException)
            {
                // Check again above.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.Except(Cluster.Silos))
        {
            await silo.StopSiloAsync(stopGracefully: true);
            await silo.DisposeAsync();
        }

        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _root.Dispose();
    }

    private static IServiceProvider Services(InProcessSiloHandle silo) => silo.ServiceProvider;

    private void Configure(string siloName, ISiloBuilder silo)
    {
        var dataDir = Path.Combine(_root.Path, siloName);
        silo.AddOrlogBroker(BrokerMetaFile.LoadOrCreate(dataDir), logs => logs.DataDirectory = OrlogSiloBuilderExtensions.LogsDirectory(dataDir));
        silo.AddOrlogLocalTiering(Path.Combine(_root.Path, "cold"));
        silo.AddFileGrainStorage(OrlogStorage.Metadata, storage => storage.RootDirectory = Path.Combine(_root.Path, "metadata"));
        silo.Services.Configure<ReplicationOptions>(options => options.ReplicaLagTimeMaxMs = ReplicaLagTimeMaxMs);
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = TimeSpan.FromMilliseconds(500);
            membership.MaxProbeTimeout = membership.ProbeTimeout;
        });
        silo.Services.AddSingleton<ILoggerProvider>(new PulsingLoggerProvider(Changed));
    }

    /// <summary>Pulses a change signal at every log line: the cluster did something worth looking at again.</summary>
    private sealed class PulsingLoggerProvider(ChangeSignal signal) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => signal.Pulse();

        public void Dispose()
        {
        }
    }
}
