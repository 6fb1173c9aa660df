using Orleans.TestingHost;
using Orlog.Cluster;
using Orlog.Hosting;
using Orlog.Storage;
using Orlog.Tiering;
using Xunit;

namespace Orlog.Client.Integration;

/// <summary>
/// What the multi-silo client tests share: an in-process cluster (TestingHost) of broker silos, each with its
/// own data directory (a restarted silo is the same broker), the metadata store and the cold tier shared by all.
/// </summary>
public abstract class MultiSiloBroker(string directoryPrefix, short silos) : IAsyncLifetime
{
    /// <summary>How long <see cref="UntilAsync"/> waits.</summary>
    protected static readonly TimeSpan WaitDeadline = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory(directoryPrefix);

    protected InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>A directory all silos share.</summary>
    protected string Root => _root.FullName;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((options, silo) =>
        {
            var dataDir = Path.Combine(Root, options.SiloName);
            silo.AddOrlogBroker(BrokerMetaFile.LoadOrCreate(dataDir), logs => logs.DataDirectory = OrlogSiloBuilderExtensions.LogsDirectory(dataDir));
            silo.AddOrlogLocalTiering(Path.Combine(Root, "cold"));
            silo.AddFileGrainStorage(OrlogStorage.Metadata, storage => storage.RootDirectory = Path.Combine(Root, "metadata"));
            ConfigureSilo(options.SiloName, silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _root.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Asks again every 200 ms until <paramref name="condition"/> holds; a silo that just went away counts as "not yet".</summary>
    protected static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var until = DateTime.UtcNow + WaitDeadline;
        Exception? transient = null;
        do
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception error) when (error is OrleansException or TimeoutException)
            {
                transient = error;
            }
        }
        while (DateTime.UtcNow < until && await pace.WaitForNextTickAsync(TestContext.Current.CancellationToken));

        Assert.Fail($"Timed out waiting until {what}; last transient error: {transient?.Message ?? "none"}.");
    }

    /// <summary>What a test adds to every silo besides the broker.</summary>
    protected virtual void ConfigureSilo(string siloName, ISiloBuilder silo)
    {
    }
}
