using Orleans.TestingHost;
using Xunit;

namespace Orlog.Client.Integration;

/// <summary>What the client tests' fixtures share: a one-silo in-process broker cluster (TestingHost) on a temporary data directory.</summary>
public abstract class BrokerClusterFixtureBase(string directoryPrefix) : IAsyncLifetime
{
    private const string DataDirKey = "OrlogTestDataDir";
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory(directoryPrefix);

    public TestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[DataDirKey] = _data.FullName;
        Configure(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _data.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The data directory of the silo being configured.</summary>
    protected static string DataDirOf(ISiloBuilder silo) => silo.Configuration[DataDirKey] ?? throw new InvalidOperationException("The test cluster has no data directory.");

    /// <summary>Adds the silo's (and the client's) configurators.</summary>
    protected abstract void Configure(TestClusterBuilder builder);
}
