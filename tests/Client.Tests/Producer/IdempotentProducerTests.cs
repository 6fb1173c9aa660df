using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using Orlog.Records;
using Xunit;

namespace Orlog.Client;

/// <summary>The producer side of idempotence: producer id, per-partition sequence numbers, kept on retry, restarted after a gap.</summary>
public sealed class IdempotentProducerTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeBatchSender _sender = new() { ProducerId = 42 };

    [Fact]
    public void Batches_CarryTheProducerId_AndConsecutiveSequencesPerPartition()
    {
        var accumulator = Accumulator();

        Append(accumulator, P0, records: 3);
        for (var answered = 0; answered < _sender.Requests.Count; answered++)
        {
            _sender.Requests[answered].Succeed(answered * 10);
        }

        Append(accumulator, new TopicPartition("t", 1), records: 1);

        var p0 = _sender.Requests.Where(r => r.Partition == P0).ToList();
        Assert.True(p0.Count > 1, "the records went in more than one request");
        Assert.Equal(p0.Select((_, i) => (42L, (short)0, p0.Take(i).Sum(r => r.RecordCount))), p0.Select(Identity));
        Assert.Equal((42L, (short)0, 0), Identity(_sender.Requests[^1]));
    }

    [Fact]
    public void ARetry_SendsTheSameSequence()
    {
        var accumulator = Accumulator();
        Append(accumulator, P0, records: 2);

        _sender.Requests[0].Fail(ErrorCode.NotLeaderOrFollower);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, _sender.Requests.Count);
        Assert.Equal(Identity(_sender.Requests[0]), Identity(_sender.Requests[1]));
    }

    [Fact]
    public void ABatchThatFailsForGood_MovesThePartitionToTheNextEpoch_WithSequencesFromZero()
    {
        var accumulator = Accumulator();
        Append(accumulator, P0, records: 2);

        _sender.Requests[0].Fail(ErrorCode.OutOfOrderSequenceNumber);
        Append(accumulator, P0, records: 1);

        Assert.Equal((42L, (short)1, 0), Identity(_sender.Requests[1]));
    }

    [Fact]
    public async Task BatchesStoredApart_AreReportedAtTheOffsetsTheBrokerNames()
    {
        var accumulator = new RecordAccumulator(new ProducerConfig { LingerMs = 0, BatchSize = 1 }, _sender, _time);
        var deliveries = Enumerable.Range(0, 3).Select(_ => new TestDelivery()).ToList();
        foreach (var delivery in deliveries)
        {
            Assert.True(accumulator.AppendAsync(P0, 1_000, null, new byte[10], null, delivery, TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
        }

        _sender.Requests[0].Succeed(0);
        Assert.Equal(2, _sender.Requests[1].BatchCount);
        _sender.Requests[1].SucceedAt([1, 7]);

        Assert.Equal([0L, 1L, 7L], (await Task.WhenAll(deliveries.Select(d => d.Outcome))).Select(o => o.Offset));
    }

    [Fact]
    public void WithAcksLeader_ByDefault_BatchesCarryNoProducerId()
    {
        var accumulator = new RecordAccumulator(new ProducerConfig { LingerMs = 0, Acks = Partitions.Acks.Leader }, _sender, _time);

        Append(accumulator, P0, records: 1);

        Assert.Equal((-1L, (short)-1, -1), Identity(_sender.Requests[0]));
    }

    [Fact]
    public void EnableIdempotence_WithAcksLeader_IsAConfigError()
    {
        var error = Assert.Throws<OrlogException>(() => new ProducerConfig { EnableIdempotence = true, Acks = Partitions.Acks.Leader }.Validate());

        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
    }

    private RecordAccumulator Accumulator() => new(new ProducerConfig { LingerMs = 0, RetryBackoffMs = 100, RetryBackoffMaxMs = 1000 }, _sender, _time, new Random(42));

    private static void Append(RecordAccumulator accumulator, TopicPartition partition, int records)
    {
        for (var i = 0; i < records; i++)
        {
            var appended = accumulator.AppendAsync(partition, 1_000, null, new byte[10], null, new TestDelivery(), TestContext.Current.CancellationToken).AsTask();
            Assert.True(appended.IsCompletedSuccessfully, "the append should not have waited");
        }
    }

    private static (long ProducerId, short Epoch, int Sequence) Identity(SentRequest request)
    {
        var header = new RecordBatchHeader(request.Batches);
        return (header.ProducerId, header.ProducerEpoch, header.BaseSequence);
    }
}
