using Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Orlog.Groups;
using Orlog.Hosting;
using Xunit;

namespace Orlog.Client.Integration;

/// <summary>An in-process Orleans cluster (TestingHost) running the broker, for the client library's integration tests.</summary>
public sealed class ClientClusterFixture : IAsyncLifetime
{
    /// <summary>Low enough for tests that wait out a session timeout.</summary>
    public const int MinSessionTimeoutMs = 500;

    private const string DataDirKey = "OrlogTestDataDir";
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("orlog-client-");

    public TestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[DataDirKey] = _data.FullName;
        builder.AddSiloBuilderConfigurator<BrokerSilo>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _data.Delete(recursive: true);
    }

    private sealed class BrokerSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var dataDir = siloBuilder.Configuration[DataDirKey] ?? throw new InvalidOperationException("No data directory.");
            siloBuilder.AddOrlogOnLocalDisk(dataDir);
            siloBuilder.Services.Configure<ConsumerGroupOptions>(groups =>
            {
                groups.MinSessionTimeoutMs = MinSessionTimeoutMs;
                groups.MetadataRefreshIntervalMs = 200;
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClientClusterTests : ICollectionFixture<ClientClusterFixture>
{
    public const string Name = "client cluster";
}
