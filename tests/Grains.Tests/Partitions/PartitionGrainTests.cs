using Orleans;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Log;
using Orlog.Records;
using Orlog.Topics;
using Xunit;

namespace Orlog.Partitions;

[Collection(BrokerClusterTests.Name)]
public sealed class PartitionGrainTests(BrokerClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task Produce_AssignsOffsets_AndFetchReturnsTheBatches()
    {
        var partition = await NewPartitionAsync();

        var first = await partition.ProduceAsync(Batch(3), Acks.Leader);
        var second = await partition.ProduceAsync(Batch(2), Acks.All);
        var fetched = await partition.FetchAsync(0, 1 << 20, 1, NoWait);

        Assert.Equal((0, 2), (first.BaseOffset, first.LastOffset));
        Assert.Equal((3, 4), (second.BaseOffset, second.LastOffset));
        Assert.Equal(5, fetched.HighWatermark);
        Assert.Equal([0L, 3L], TestBatches.Split(fetched.Records).Select(TestBatches.BaseOffset));
    }

    [Fact]
    public async Task Produce_SeveralBatchesInOneRequest()
    {
        var partition = await NewPartitionAsync();

        var result = await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Concat([TestBatches.Build(2, 10, 1000), TestBatches.Build(4, 10, 1000)])), Acks.Leader);

        Assert.Equal((0, 5), (result.BaseOffset, result.LastOffset));
    }

    [Fact]
    public async Task Produce_AcksAll_UnderGroupCommit_ReturnsOnceDurable()
    {
        var partition = await NewPartitionAsync(new() { ["flush.policy"] = "interval", ["flush.ms"] = "20" });

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => partition.ProduceAsync(Batch(1), Acks.All)));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), results.Select(r => r.BaseOffset).Order());
    }

    [Fact]
    public async Task Fetch_AtTheEnd_WaitsForData_WithoutHoldingUpProduce()
    {
        var partition = await NewPartitionAsync();
        await partition.ProduceAsync(Batch(2), Acks.Leader);

        var waiting = partition.FetchAsync(2, 1 << 20, 1, TimeSpan.FromSeconds(30));
        var produced = await partition.ProduceAsync(Batch(3), Acks.Leader);
        var fetched = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(2, produced.BaseOffset);
        Assert.Equal(2, TestBatches.BaseOffset(TestBatches.Split(fetched.Records)[0]));
    }

    [Fact]
    public async Task Fetch_AtTheEnd_ReturnsEmptyWhenTheWaitExpires()
    {
        var partition = await NewPartitionAsync();
        await partition.ProduceAsync(Batch(1), Acks.Leader);

        var fetched = await partition.FetchAsync(1, 1 << 20, 1, TimeSpan.FromMilliseconds(50));

        Assert.Empty(fetched.Records);
        Assert.Equal(1, fetched.HighWatermark);
    }

    [Fact]
    public async Task Fetch_WithMinBytesZero_ReturnsAtOnce()
    {
        var partition = await NewPartitionAsync();

        var fetched = await partition.FetchAsync(0, 1 << 20, 0, TimeSpan.FromMinutes(1)).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Empty(fetched.Records);
    }

    [Fact]
    public async Task Fetch_OutOfRange_CarriesTheValidRange()
    {
        var partition = await NewPartitionAsync();
        await partition.ProduceAsync(Batch(4), Acks.Leader);

        var error = await Assert.ThrowsAsync<OffsetOutOfRangeException>(() => partition.FetchAsync(9, 1000, 1, NoWait));

        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Equal((9, 0, 4), (error.RequestedOffset, error.LogStartOffset, error.LogEndOffset));
    }

    [Fact]
    public async Task ListOffsets_EarliestLatestAndByTimestamp()
    {
        var partition = await NewPartitionAsync();
        await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(3, 10, 5000)), Acks.Leader);
        await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(3, 10, 9000)), Acks.Leader);
        await partition.DeleteRecordsAsync(1);

        Assert.Equal(new ListOffsetsResult(1, -1), await partition.ListOffsetsAsync(OffsetSpec.Earliest));
        Assert.Equal(new ListOffsetsResult(6, -1), await partition.ListOffsetsAsync(OffsetSpec.Latest));
        Assert.Equal(new ListOffsetsResult(4, 9001), await partition.ListOffsetsAsync(OffsetSpec.ForTimestamp(9001)));
        Assert.Equal(new ListOffsetsResult(-1, -1), await partition.ListOffsetsAsync(OffsetSpec.ForTimestamp(99_999)));
    }

    [Fact]
    public async Task DeleteRecords_MovesTheStart_AndMinusOneMeansTheHighWatermark()
    {
        var partition = await NewPartitionAsync();
        await partition.ProduceAsync(Batch(5), Acks.Leader);

        Assert.Equal(3, await partition.DeleteRecordsAsync(3));
        Assert.Equal(ErrorCode.OffsetOutOfRange, (await Assert.ThrowsAsync<OffsetOutOfRangeException>(() => partition.FetchAsync(2, 1000, 1, NoWait))).Code);
        Assert.Equal(5, await partition.DeleteRecordsAsync(-1));
        Assert.Equal(ErrorCode.OffsetOutOfRange, (await Assert.ThrowsAsync<OffsetOutOfRangeException>(() => partition.DeleteRecordsAsync(6))).Code);
    }

    [Fact]
    public async Task RejectedBatches_StoreNothing()
    {
        var partition = await NewPartitionAsync(new() { ["max.message.bytes"] = "300" });
        await partition.ProduceAsync(Batch(1), Acks.Leader);
        var corrupt = TestBatches.Build(2, 10, 1000);
        corrupt[^1] ^= 0x5A;

        var tooLarge = await Assert.ThrowsAsync<OrlogException>(() => partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(1, 400, 1000)), Acks.Leader));
        var badCrc = await Assert.ThrowsAsync<OrlogException>(() => partition.ProduceAsync(new Immutable<byte[]>(corrupt), Acks.Leader));
        var empty = await Assert.ThrowsAsync<OrlogException>(() => partition.ProduceAsync(new Immutable<byte[]>([]), Acks.Leader));
        var garbage = await Assert.ThrowsAsync<OrlogException>(() => partition.ProduceAsync(new Immutable<byte[]>(new byte[100]), Acks.Leader));

        Assert.Equal(ErrorCode.MessageTooLarge, tooLarge.Code);
        Assert.Equal(ErrorCode.CorruptMessage, badCrc.Code);
        Assert.Equal(ErrorCode.InvalidRecord, empty.Code);
        Assert.Equal(ErrorCode.CorruptMessage, garbage.Code);
        Assert.Equal(new ListOffsetsResult(1, -1), await partition.ListOffsetsAsync(OffsetSpec.Latest));
    }

    [Fact]
    public async Task AbsurdArguments_AreRefusedWithTheirCodes()
    {
        var partition = await NewPartitionAsync();

        Assert.Equal(ErrorCode.InvalidRequiredAcks, (await Assert.ThrowsAsync<OrlogException>(() => partition.ProduceAsync(Batch(1), (Acks)2))).Code);
        Assert.Equal(ErrorCode.InvalidFetchSize, (await Assert.ThrowsAsync<OrlogException>(() => partition.FetchAsync(0, 0, 1, NoWait))).Code);
        Assert.Equal(ErrorCode.InvalidFetchSize, (await Assert.ThrowsAsync<OrlogException>(() => partition.FetchAsync(0, -1, 1, NoWait))).Code);
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<OrlogException>(() => partition.FetchAsync(0, 100, -1, NoWait))).Code);
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<OrlogException>(() => partition.FetchAsync(0, 100, 1, TimeSpan.FromHours(1)))).Code);
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<OrlogException>(() => partition.FetchAsync(0, 100, 1, TimeSpan.FromSeconds(-1)))).Code);
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<OrlogException>(() => partition.ListOffsetsAsync(new OffsetSpec(-7)))).Code);
        Assert.Equal(ErrorCode.OffsetOutOfRange, (await Assert.ThrowsAsync<OffsetOutOfRangeException>(() => partition.FetchAsync(-1, 100, 1, NoWait))).Code);
    }

    [Fact]
    public async Task UnknownTopicOrPartition_ForEveryOperation()
    {
        var name = $"known-{Guid.NewGuid():N}"[..16];
        await fixture.Cluster.Client.GetGrain<ITopicGrain>(name).CreateAsync(new TopicSpec(name, 2));

        foreach (var partition in new[] { Partition($"unknown-{Guid.NewGuid():N}"[..18], 0), Partition(name, 2), Partition(name, -1) })
        {
            foreach (var call in new Func<Task>[]
            {
                () => partition.ProduceAsync(Batch(1), Acks.Leader),
                () => partition.FetchAsync(0, 100, 1, NoWait),
                () => partition.ListOffsetsAsync(OffsetSpec.Latest),
                () => partition.DeleteRecordsAsync(0),
            })
            {
                Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<OrlogException>(call)).Code);
            }
        }
    }

    [Fact]
    public async Task AlteredConfigs_ApplyToTheLiveLog()
    {
        var name = $"alter-{Guid.NewGuid():N}"[..16];
        var topic = fixture.Cluster.Client.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSpec(name, 1));
        var partition = Partition(name, 0);
        await partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(1, 500, 1000)), Acks.Leader);

        await topic.AlterConfigsAsync(new Dictionary<string, string?> { ["max.message.bytes"] = "200" });

        var error = await Assert.ThrowsAsync<OrlogException>(() => partition.ProduceAsync(new Immutable<byte[]>(TestBatches.Build(1, 500, 1000)), Acks.Leader));
        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
        Assert.Single(TestBatches.Split((await partition.FetchAsync(0, 1 << 20, 1, NoWait)).Records));
    }

    [Fact]
    public async Task LogAppendTime_IsReportedAndStamped()
    {
        var partition = await NewPartitionAsync(new() { ["message.timestamp.type"] = "LogAppendTime" });

        var result = await partition.ProduceAsync(Batch(2), Acks.Leader);
        var fetched = await partition.FetchAsync(0, 1 << 20, 1, NoWait);

        Assert.True(result.LogAppendTime > 1_700_000_000_000);
        Assert.Equal(result.LogAppendTime, new RecordBatchHeader(fetched.Records).MaxTimestamp);
    }

    [Fact]
    public async Task Produce_FromInsideTheSilo_PassesTheBufferByReference()
    {
        var partition = await NewPartitionAsync();
        await partition.ProduceAsync(Batch(4), Acks.Leader);
        var probe = fixture.Cluster.Client.GetGrain<IProduceProbeGrain>("probe");

        // The broker stamps the assigned base offset into the buffer it receives; the probe sees it
        // in its own array only if the array crossed the grain call without a copy.
        var (assigned, seen) = await probe.ProduceAsync(partition.GetPrimaryKeyString(), TestBatches.Build(2, 10, 1000));

        Assert.Equal(4, assigned);
        Assert.Equal(4, seen);
    }

    [Fact]
    public async Task Produce_ReleasesTheRequestBuffer_WhetherItStoresOrRefusesTheBatches()
    {
        var partition = await NewPartitionAsync();
        var probe = fixture.Cluster.Client.GetGrain<IProduceProbeGrain>("probe");
        var corrupt = TestBatches.Build(2, 10, 1000);
        corrupt[^1] ^= 0x5A;

        var stored = await probe.ProduceRentedAsync(partition.GetPrimaryKeyString(), TestBatches.Build(3, 10, 1000));
        var refused = await probe.ProduceRentedAsync(partition.GetPrimaryKeyString(), corrupt);

        Assert.Equal((ErrorCode.None, true), stored);
        Assert.Equal((ErrorCode.CorruptMessage, true), refused);
        Assert.Equal(new ListOffsetsResult(3, -1), await partition.ListOffsetsAsync(OffsetSpec.Latest));
    }

    private async Task<IPartitionGrain> NewPartitionAsync(Dictionary<string, string>? configs = null)
    {
        var name = $"p-{Guid.NewGuid():N}"[..16];
        await fixture.Cluster.Client.GetGrain<ITopicGrain>(name).CreateAsync(new TopicSpec(name, 1, 1, configs ?? []));
        return Partition(name, 0);
    }

    private IPartitionGrain Partition(string topic, int partition) =>
        fixture.Cluster.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(topic, partition));

    private static Immutable<byte[]> Batch(int records) => new(TestBatches.Build(records, 10, 1_700_000_000_000));
}
