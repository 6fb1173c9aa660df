using Orleans.Concurrency;
using Orlog.Log;
using Orlog.Partitions;
using Orlog.Topics;
using Xunit;

namespace Orlog.Replication;

/// <summary>Moving a partition to other brokers across in-process broker silos.</summary>
public sealed class PartitionReassignmentTests
{
    private const int Batches = 120;
    private const int RecordsPerBatch = 5;

    private static readonly Dictionary<string, string> Tiered = new()
    {
        [TopicConfigs.SegmentBytes] = "4096",
        [TopicConfigs.RemoteStorageEnable] = "true",
        [TopicConfigs.LocalRetentionBytes] = "0",
    };

    [Fact]
    public async Task MovingAPartitionToOtherBrokers_CopiesOnlyTheLocalTail_LosesNothing_AndDeletesTheOldCopy()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var partition = await cluster.CreateTopicAsync(1, Tiered);
        var from = (await cluster.LeadershipAsync(partition)).Leader;
        int[] to = [.. (await cluster.Controller.DescribeBrokersAsync()).Select(b => b.BrokerId).Where(b => b != from)];
        for (var i = 0; i < Batches; i++)
        {
            await cluster.Partition(partition).ProduceAsync(Batch(), Acks.Leader);
        }

        var localStart = (await cluster.TierAndTrimAsync(from, partition)).LogStartOffset;
        Assert.True(localStart > 0, "No local segment was dropped after its copy to the remote tier.");

        await cluster.Controller.ReassignAsync(partition, to);
        var whileMoving = await cluster.ProduceUntilTakenAsync(partition, RecordsPerBatch, Acks.All);
        var moved = await cluster.UntilLeadershipAsync(partition, l => l.Target is null && l.Replicas.SequenceEqual(to), "the move completes");
        var afterMove = await cluster.ProduceUntilTakenAsync(partition, RecordsPerBatch, Acks.All);
        await cluster.UntilAsync(() => Task.FromResult(!cluster.HasDataOn(from, partition)), () => $"broker {from} deletes its copy");

        Assert.Equal(to[0], moved.Leader);
        Assert.Equal(Batches * RecordsPerBatch, whileMoving.BaseOffset);
        Assert.Equal(whileMoving.LastOffset + 1, afterMove.BaseOffset);
        Assert.All(to, broker => Assert.True(
            cluster.LogOn(broker, partition)?.LogStartOffset >= localStart,
            $"broker {broker} copied from below the leader's local log start {localStart}"));
        Assert.Equal(afterMove.LastOffset + 1, await ContiguousEndFromZeroAsync(cluster.Partition(partition)));
    }

    /// <summary>A batch stamped now: remote retention (7 days) would delete older records at the first tiering pass.</summary>
    private static Immutable<byte[]> Batch() => new(TestBatches.Build(RecordsPerBatch, 100, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>Fetches from offset 0 (the remote tier, then the local log) and returns where the batches, each following the last, end.</summary>
    private static async Task<long> ContiguousEndFromZeroAsync(IPartitionGrain partition)
    {
        long offset = 0;
        while (true)
        {
            var fetched = await partition.FetchAsync(offset, 64 * 1024, 0, TimeSpan.Zero);
            if (fetched.Records.Length == 0)
            {
                return offset;
            }

            foreach (var batch in TestBatches.Split(fetched.Records))
            {
                Assert.Equal(offset, TestBatches.BaseOffset(batch));
                offset = TestBatches.NextOffset(batch);
            }
        }
    }
}
