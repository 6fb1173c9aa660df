using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using Orlog.Records;
using Xunit;

namespace Orlog.Client;

public class RecordAccumulatorTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeBatchSender _sender = new();

    private static ProducerConfig Config(Action<ProducerConfig>? change = null)
    {
        var config = new ProducerConfig
        {
            LingerMs = 5,
            BatchSize = 1024,
            MaxRequestSize = 4096,
            BufferMemory = 1024 * 1024,
            MaxBlockMs = 1000,
            RetryBackoffMs = 100,
            RetryBackoffMaxMs = 1000,
        };
        change?.Invoke(config);
        return config;
    }

    private RecordAccumulator Accumulator(ProducerConfig config) => new(config, _sender, _time, new Random(42));

    private static TestDelivery Append(RecordAccumulator accumulator, TopicPartition partition, int valueBytes = 10)
    {
        var delivery = new TestDelivery();
        var appended = accumulator.AppendAsync(partition, 1_000, null, new byte[valueBytes], null, delivery, TestContext.Current.CancellationToken).AsTask();
        Assert.True(appended.IsCompletedSuccessfully, "the append should not have waited");
        return delivery;
    }

    [Fact]
    public void Linger_HoldsABatchForLingerMs_ThenSendsIt()
    {
        var accumulator = Accumulator(Config());
        Append(accumulator, P0);
        Append(accumulator, P0);

        _time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Empty(_sender.Requests);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var request = Assert.Single(_sender.Requests);
        Assert.Equal(P0, request.Partition);
        Assert.Equal(1, request.BatchCount);
        Assert.Equal(2, request.RecordCount);
    }

    [Fact]
    public void ARequestsBuffer_GoesBackToThePool_OnlyOnceTheBrokerAnsweredWithSuccess()
    {
        var accumulator = Accumulator(Config(c => c.LingerMs = 0));
        Append(accumulator, P0);
        Append(accumulator, new TopicPartition("t", 1));
        var (succeeding, failing) = (_sender.Requests[0], _sender.Requests[1]);
        Assert.False(succeeding.Sent!.IsMissing);

        succeeding.Succeed(0);
        failing.Fail(ErrorCode.CorruptMessage);

        Assert.True(succeeding.Sent.IsMissing);

        // A failed call may still sit in a connection's queue, unserialized: its buffer must not be reused.
        Assert.False(failing.Sent!.IsMissing);
    }

    [Fact]
    public void LingerZero_SendsAtOnce()
    {
        var accumulator = Accumulator(Config(c => c.LingerMs = 0));
        Append(accumulator, P0);

        Assert.Equal(1, Assert.Single(_sender.Requests).RecordCount);
    }

    [Fact]
    public void FullBatch_IsSentWithoutWaitingForLinger()
    {
        var accumulator = Accumulator(Config(c => c.BatchSize = 400));

        // A 100-byte value is ~104 bytes in the batch (61-byte header) and 141 by the estimate: the third would pass 400.
        Append(accumulator, P0, 100);
        Append(accumulator, P0, 100);
        Assert.Empty(_sender.Requests);

        Append(accumulator, P0, 100);

        var request = Assert.Single(_sender.Requests);
        Assert.Equal(2, request.RecordCount);
        Assert.Equal((1, 1), accumulator.Inspect(P0));
    }

    [Fact]
    public void BatchReachingBatchSize_IsSentAtOnce()
    {
        var accumulator = Accumulator(Config(c => c.BatchSize = 100));

        Append(accumulator, P0, 200);

        Assert.Equal(1, Assert.Single(_sender.Requests).RecordCount);
    }

    [Fact]
    public void EachPartition_HasItsOwnBatch()
    {
        var accumulator = Accumulator(Config());
        Append(accumulator, P0);
        Append(accumulator, new TopicPartition("t", 1));
        Append(accumulator, new TopicPartition("u", 0));

        _time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal(3, _sender.Requests.Count);
        Assert.All(_sender.Requests, r => Assert.Equal(1, r.RecordCount));
    }

    [Fact]
    public void MaxInFlight_LimitsRequestsPerPartition()
    {
        var accumulator = Accumulator(Config(c =>
        {
            c.BatchSize = 50;
            c.MaxInFlightRequestsPerPartition = 2;
        }));

        for (var i = 0; i < 5; i++)
        {
            Append(accumulator, P0, 60);
        }

        Assert.Equal(2, _sender.Requests.Count);
        Assert.Equal((3, 2), accumulator.Inspect(P0));

        _sender.Requests[0].Succeed(0);

        // The freed slot takes every ready batch that fits one request.
        Assert.Equal(3, _sender.Requests.Count);
        Assert.Equal(3, _sender.Requests[2].BatchCount);
        Assert.Equal((0, 2), accumulator.Inspect(P0));
    }

    [Fact]
    public void ReadyBatches_TravelTogether_UpToMaxRequestSize()
    {
        var accumulator = Accumulator(Config(c =>
        {
            c.BatchSize = 50;
            c.MaxInFlightRequestsPerPartition = 1;
            c.MaxRequestSize = 1024;
            c.BufferMemory = 1024 * 1024;
        }));

        for (var i = 0; i < 6; i++)
        {
            Append(accumulator, P0, 300);
        }

        _sender.Requests[0].Succeed(0);

        // 300-byte records make ~370-byte batches: two fit in 1024, a third does not.
        Assert.Equal(2, _sender.Requests[1].BatchCount);
    }

    [Fact]
    public async Task Deliveries_GetConsecutiveOffsets_AcrossTheBatchesOfARequest()
    {
        var accumulator = Accumulator(Config(c =>
        {
            c.BatchSize = 50;
            c.MaxInFlightRequestsPerPartition = 1;
        }));
        var first = Append(accumulator, P0, 60);
        var second = Append(accumulator, P0, 60);
        var third = Append(accumulator, P0, 60);
        _sender.Requests[0].Succeed(100);
        Assert.Equal(2, _sender.Requests[1].BatchCount);

        _sender.Requests[1].Succeed(101);

        Assert.Equal(100, (await first.Outcome.Soon()).Offset);
        Assert.Equal(101, (await second.Outcome.Soon()).Offset);
        var (partition, offset, timestamp) = await third.Outcome.Soon();
        Assert.Equal(P0, partition);
        Assert.Equal(102, offset);
        Assert.Equal(new Timestamp(1_000, TimestampType.CreateTime), timestamp);
    }

    [Fact]
    public async Task LogAppendTime_FromTheBroker_IsReported()
    {
        var accumulator = Accumulator(Config(c => c.LingerMs = 0));
        var delivery = Append(accumulator, P0);

        _sender.Requests[0].Succeed(0, logAppendTime: 77_000);

        Assert.Equal(new Timestamp(77_000, TimestampType.LogAppendTime), (await delivery.Outcome.Soon()).Timestamp);
    }

    [Fact]
    public async Task Flush_SendsLingeringBatches_AndWaitsForTheirReports()
    {
        var accumulator = Accumulator(Config(c => c.LingerMs = 60_000));
        var delivery = Append(accumulator, P0);
        Assert.Empty(_sender.Requests);

        var flush = accumulator.FlushAsync(TestContext.Current.CancellationToken);

        var request = Assert.Single(_sender.Requests);
        Assert.False(flush.IsCompleted);
        Assert.Equal(1, accumulator.PendingRecordCount);

        request.Succeed(0);
        await flush.Soon();
        Assert.True(delivery.Outcome.IsCompletedSuccessfully);
        Assert.Equal(0, accumulator.PendingRecordCount);
    }

    [Fact]
    public void Requests_AreFreshArrays_HoldingValidBatches()
    {
        var accumulator = Accumulator(Config(c =>
        {
            c.LingerMs = 0;
            c.CompressionType = CompressionType.Lz4;
        }));
        Append(accumulator, P0, 500);
        _sender.Requests[0].Succeed(0);
        Append(accumulator, P0, 500);

        var (first, second) = (_sender.Requests[0], _sender.Requests[1]);
        Assert.NotSame(first.Batches, second.Batches);
        Assert.Equal(CompressionType.Lz4, new RecordBatchHeader(second.Batches).Compression);
        using var reader = new RecordBatchReader(second.Batches);
        foreach (var record in reader)
        {
            Assert.Equal(500, record.Value.Length);
        }
    }

    [Fact]
    public void RecordLargerThanMaxRequestSize_FailsAtOnce()
    {
        var accumulator = Accumulator(Config());

        var error = Assert.Throws<OrlogException>(() =>
        {
            _ = accumulator.AppendAsync(P0, 0, null, new byte[5000], null, new TestDelivery(), TestContext.Current.CancellationToken).AsTask();
        });

        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
        Assert.Contains("MaxRequestSize", error.Message, StringComparison.Ordinal);
        Assert.Equal(accumulator.Memory.Total, accumulator.Memory.Available);
    }
}
