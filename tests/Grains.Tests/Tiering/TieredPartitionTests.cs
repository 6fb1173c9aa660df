using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Partitions;
using Orlog.Topics;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Tiering;

/// <summary>
/// A partition with <c>remote.storage.enable</c> on the test cluster (the local-directory cold tier):
/// segments are copied, local copies dropped, and reads from offset 0 cross into the remote tier.
/// Tiering passes are run by the test, not by the service's timer, so each step is deterministic.
/// </summary>
[Collection(BrokerClusterTests.Name)]
public sealed class TieredPartitionTests(BrokerClusterFixture fixture)
{
    private const int Batches = 120;

    [Fact]
    public async Task ConsumingFromZero_CrossesFromTheRemoteTierIntoTheLocalLog_ByteForByte()
    {
        var (topic, partition) = await CreateTieredTopicAsync(new Dictionary<string, string>());
        await ProduceAsync(partition);
        var before = await FetchAllAsync(partition, 0);

        var log = await TierAndTrimAsync(topic);

        Assert.True(log.LogStartOffset > 0, "No local segment was dropped after its copy.");
        Assert.Equal(0, (await partition.ListOffsetsAsync(OffsetSpec.Earliest)).Offset);
        var after = await FetchAllAsync(partition, 0);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i], after[i]);
        }

        var middle = TestBatches.BaseOffset(before[before.Count / 4]) + 1;
        var fromMiddle = await partition.FetchAsync(middle, 1, 0, TimeSpan.Zero);
        Assert.True(TestBatches.NextOffset(TestBatches.Split(fromMiddle.Records)[0]) > middle);
    }

    [Fact]
    public async Task ListOffsetsByTimestamp_FindsRecordsThatAreOnlyRemote()
    {
        var (topic, partition) = await CreateTieredTopicAsync(new Dictionary<string, string>());
        var first = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var baseOffsets = new List<long>();
        for (var i = 0; i < Batches; i++)
        {
            baseOffsets.Add((await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(5, 100, first + (i * 10))), Acks.Leader)).BaseOffset);
        }

        var log = await TierAndTrimAsync(topic);
        var remoteOnly = baseOffsets.FindLastIndex(o => o < log.LogStartOffset - 5);
        Assert.True(remoteOnly > 10, "Too few batches left the local log for the test to mean anything.");

        var found = await partition.ListOffsetsAsync(OffsetSpec.ForTimestamp(first + (remoteOnly * 10) - 5));
        var exact = await partition.ListOffsetsAsync(OffsetSpec.ForTimestamp(first + 30));

        Assert.Equal((baseOffsets[remoteOnly], first + (remoteOnly * 10)), (found.Offset, found.Timestamp));
        Assert.Equal((baseOffsets[3], first + 30), (exact.Offset, exact.Timestamp));
    }

    [Fact]
    public async Task TotalRetention_DeletesRemoteSegments_AndMovesTheLogStart()
    {
        var (topic, partition) = await CreateTieredTopicAsync(new Dictionary<string, string>());
        await ProduceAsync(partition);
        var log = await TierAndTrimAsync(topic);
        var remoteBefore = Tier.For(new TopicPartition(topic, 0)).Manifest.Segments.Count;

        await fixture.Cluster.Client.GetGrain<ITopicGrain>(topic).AlterConfigsAsync(new Dictionary<string, string?> { [TopicConfigs.RetentionBytes] = "20000" });
        log = await TierAndTrimAsync(topic);

        var start = (await partition.ListOffsetsAsync(OffsetSpec.Earliest)).Offset;
        Assert.True(start > 0, "Total retention deleted nothing.");
        Assert.True(Tier.For(new TopicPartition(topic, 0)).Manifest.Segments.Count < remoteBefore);
        var error = await Assert.ThrowsAsync<OffsetOutOfRangeException>(() => partition.FetchAsync(0, 1024, 0, TimeSpan.Zero));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Equal(start, error.LogStartOffset);
        Assert.NotEmpty((await partition.FetchAsync(start, 1024, 0, TimeSpan.Zero)).Records);
    }

    [Fact]
    public async Task WithoutRemoteStorage_NothingIsCopied()
    {
        var topic = $"local-{Guid.NewGuid():N}"[..20];
        await fixture.Cluster.Client.GetGrain<ITopicGrain>(topic).CreateAsync(new TopicSpec(topic, 1, 1, new Dictionary<string, string> { [TopicConfigs.SegmentBytes] = "4096" }));
        var partition = fixture.Cluster.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(topic, 0));
        await ProduceAsync(partition);

        await fixture.Cluster.GetSiloServiceProvider().GetServices<IHostedService>().OfType<TieringService>().Single().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Empty(Tier.For(new TopicPartition(topic, 0)).Manifest.Segments);
    }

    private RemoteTier Tier => fixture.Cluster.GetSiloServiceProvider().GetRequiredService<RemoteTier>();

    private async Task<(string Topic, IPartitionGrain Partition)> CreateTieredTopicAsync(Dictionary<string, string> extra)
    {
        var topic = $"tier-{Guid.NewGuid():N}"[..20];
        var configs = new Dictionary<string, string>(extra)
        {
            [TopicConfigs.SegmentBytes] = "4096",
            [TopicConfigs.RemoteStorageEnable] = "true",
            [TopicConfigs.LocalRetentionBytes] = "0",
        };
        await fixture.Cluster.Client.GetGrain<ITopicGrain>(topic).CreateAsync(new TopicSpec(topic, 1, 1, configs));
        return (topic, fixture.Cluster.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(topic, 0)));
    }

    private static async Task ProduceAsync(IPartitionGrain partition)
    {
        for (var i = 0; i < Batches; i++)
        {
            await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(5, 100, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())), Acks.Leader);
        }
    }

    /// <summary>Runs a tiering pass (copies closed segments, applies remote retention), then local retention.</summary>
    private async Task<PartitionLog> TierAndTrimAsync(string topic)
    {
        var logs = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<LogManager>();
        Assert.True(logs.TryGet(new TopicPartition(topic, 0), out var log));
        await Tier.RunAsync(new TopicPartition(topic, 0), log, TestContext.Current.CancellationToken);
        log.ApplyRetention();
        return log;
    }

    private static async Task<List<byte[]>> FetchAllAsync(IPartitionGrain partition, long from)
    {
        var batches = new List<byte[]>();
        var offset = from;
        while (true)
        {
            var result = await partition.FetchAsync(offset, 8 * 1024, 0, TimeSpan.Zero);
            if (result.Records.Length == 0)
            {
                return batches;
            }

            foreach (var batch in TestBatches.Split(result.Records))
            {
                batches.Add(batch);
                offset = TestBatches.NextOffset(batch);
            }
        }
    }
}
