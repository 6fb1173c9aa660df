using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Orlog.Hosting;
using Orlog.Storage;
using Orlog.Streams;
using Orlog.Topics;
using Xunit;

namespace Orlog.Client.Integration.Streams;

/// <summary>
/// A broker silo with the Orlog stream provider <see cref="Provider"/> over the topic <see cref="Topic"/>
/// (small segments with a remote tier, so tests can tier what they wrote), and a client that has the provider too.
/// </summary>
public sealed class StreamClusterFixture() : BrokerClusterFixtureBase("orlog-streams-")
{
    public const string Provider = "orlog";
    public const string Topic = "readings";
    public const int Partitions = 4;

    /// <summary>The provider's settings, the same on the silo and the client.</summary>
    public static void Configure(OrlogStreamOptions options)
    {
        options.Topics.Add(Topic);
        options.PartitionsForNewTopics = Partitions;
        options.ConfigsForNewTopics[TopicConfigs.SegmentBytes] = "4096";
        options.ConfigsForNewTopics[TopicConfigs.RemoteStorageEnable] = "true";
        options.ConfigsForNewTopics[TopicConfigs.LocalRetentionBytes] = "0";
        options.CheckpointInterval = TimeSpan.FromMilliseconds(100);
        options.FetchMaxWait = TimeSpan.FromMilliseconds(200);
        options.CacheSize = 64;
    }

    protected override void Configure(TestClusterBuilder builder)
    {
        builder.AddSiloBuilderConfigurator<StreamSilo>();
        builder.AddClientBuilderConfigurator<StreamClient>();
    }

    private sealed class StreamSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var dataDir = DataDirOf(siloBuilder);
            siloBuilder.AddOrlogOnLocalDisk(dataDir);
            siloBuilder.AddFileGrainStorage("PubSubStore", storage => storage.RootDirectory = Path.Combine(dataDir, "pubsub"));
            siloBuilder.AddOrlogStreams(Provider, StreamClusterFixture.Configure);
        }
    }

    private sealed class StreamClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddOrlogStreams(Provider, StreamClusterFixture.Configure);
    }
}

[CollectionDefinition(Name)]
public sealed class StreamClusterTests : ICollectionFixture<StreamClusterFixture>
{
    public const string Name = "stream cluster";
}
