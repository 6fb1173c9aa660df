using Orleans.TestingHost;
using Orlog.Hosting;
using Orlog.Log;
using Xunit;

namespace Orlog.Cluster;

/// <summary>
/// One in-process Orleans cluster (TestingHost) running the broker grains on a temporary data
/// directory, shared by the tests of a collection.
/// </summary>
public sealed class BrokerClusterFixture : IAsyncLifetime
{
    private const string DataDirKey = "OrlogTestDataDir";
    private readonly TempDirectory _data = new();

    public TestCluster Cluster { get; private set; } = null!;

    public string DataDir => _data.Path;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[DataDirKey] = _data.Path;
        builder.AddSiloBuilderConfigurator<BrokerSiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _data.Dispose();
    }

    private sealed class BrokerSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var dataDir = siloBuilder.Configuration[DataDirKey] ?? throw new InvalidOperationException("The test cluster has no data directory.");
            siloBuilder.AddOrlogOnLocalDisk(dataDir);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerClusterTests : ICollectionFixture<BrokerClusterFixture>
{
    public const string Name = "broker cluster";
}
