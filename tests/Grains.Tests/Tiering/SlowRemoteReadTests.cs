using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.TestingHost;
using Orlog.Hosting;
using Orlog.Log;
using Orlog.Partitions;
using Orlog.Storage;
using Orlog.Topics;
using Xunit;

namespace Orlog.Tiering;

/// <summary>A fetch waiting on a slow remote tier does not hold up produce on the same partition.</summary>
public sealed class SlowRemoteReadTests : IAsyncLifetime
{
    private const string DataDirKey = "OrlogTestDataDir";
    private readonly TempDirectory _data = new();
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[DataDirKey] = _data.Path;
        builder.AddSiloBuilderConfigurator<GatedTierSilo>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        GatedRemoteStore.Gate = GatedRemoteStore.Open();
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task ARemoteReadWaiting_DoesNotHoldUpProduce()
    {
        var topic = "slow-remote";
        await _cluster.Client.GetGrain<ITopicGrain>(topic).CreateAsync(new TopicSpec(topic, 1, 1, new Dictionary<string, string>
        {
            [TopicConfigs.SegmentBytes] = "4096",
            [TopicConfigs.RemoteStorageEnable] = "true",
            [TopicConfigs.LocalRetentionBytes] = "0",
        }));
        var partition = _cluster.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(topic, 0));
        for (var i = 0; i < 60; i++)
        {
            await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(5, 100, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())), Acks.Leader);
        }

        var services = _cluster.GetSiloServiceProvider();
        Assert.True(services.GetRequiredService<LogManager>().TryGet(new TopicPartition(topic, 0), out var log));
        await services.GetRequiredService<RemoteTier>().RunAsync(new TopicPartition(topic, 0), log, TestContext.Current.CancellationToken);
        log.ApplyRetention();
        Assert.True(log.LogStartOffset > 0);

        GatedRemoteStore.ReadWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        GatedRemoteStore.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetch = partition.FetchAsync(0, 1024, 0, TimeSpan.Zero);
        await GatedRemoteStore.ReadWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var produced = await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(1, 10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())), Acks.Leader)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(fetch.IsCompleted);
        Assert.Equal(log.LogEndOffset - 1, produced.LastOffset);
        GatedRemoteStore.Gate.SetResult();
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(0, TestBatches.BaseOffset(TestBatches.Split(result.Records)[0]));
    }

    private sealed class GatedTierSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var dataDir = siloBuilder.Configuration[DataDirKey] ?? throw new InvalidOperationException("No data directory.");
            siloBuilder.AddOrlogBroker(Cluster.BrokerMetaFile.LoadOrCreate(dataDir), logs => logs.DataDirectory = OrlogSiloBuilderExtensions.LogsDirectory(dataDir));
            siloBuilder.AddOrlogTiering(_ => new GatedRemoteStore(new LocalDirectoryRemoteStore(OrlogSiloBuilderExtensions.ColdDirectory(dataDir))));
            siloBuilder.AddFileGrainStorage(OrlogStorage.Metadata, files => files.RootDirectory = OrlogSiloBuilderExtensions.MetadataDirectory(dataDir));
        }
    }
}
