using Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Orlog.Groups;
using Orlog.Hosting;
using Xunit;

namespace Orlog.Client.Integration;

/// <summary>An in-process Orleans cluster (TestingHost) running the broker, for the client library's integration tests.</summary>
public sealed class ClientClusterFixture() : BrokerClusterFixtureBase("orlog-client-")
{
    /// <summary>Low enough for tests that wait out a session timeout.</summary>
    public const int MinSessionTimeoutMs = 500;

    protected override void Configure(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<BrokerSilo>();

    private sealed class BrokerSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddOrlogOnLocalDisk(DataDirOf(siloBuilder));
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
