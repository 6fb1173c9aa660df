using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using Xunit;

namespace Orlog.Client;

/// <summary>Retries: retriable codes are resent after an exponential backoff (±20% jitter), others fail the batch.</summary>
public class RecordAccumulatorRetryTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeBatchSender _sender = new();

    private RecordAccumulator Accumulator(Action<ProducerConfig>? change = null)
    {
        var config = new ProducerConfig { LingerMs = 0, RetryBackoffMs = 100, RetryBackoffMaxMs = 1000 };
        change?.Invoke(config);
        return new RecordAccumulator(config, _sender, _time, new Random(42));
    }

    private static TestDelivery Append(RecordAccumulator accumulator, int valueBytes = 10)
    {
        var delivery = new TestDelivery();
        Assert.True(accumulator.AppendAsync(P0, 0, null, new byte[valueBytes], null, delivery, TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
        return delivery;
    }

    [Theory]
    [InlineData(ErrorCode.RequestTimedOut)]
    [InlineData(ErrorCode.NotLeaderOrFollower)]
    [InlineData(ErrorCode.LeaderNotAvailable)]
    [InlineData(ErrorCode.NotEnoughReplicas)]
    [InlineData(ErrorCode.KafkaStorageError)]
    public async Task RetriableError_IsResentAfterTheBackoff_InAFreshBuffer(ErrorCode code)
    {
        var accumulator = Accumulator();
        var delivery = Append(accumulator);

        _sender.Requests[0].Fail(code);

        // The first backoff is 100 ms ± 20%.
        _time.Advance(TimeSpan.FromMilliseconds(79));
        Assert.Single(_sender.Requests);
        _time.Advance(TimeSpan.FromMilliseconds(41));
        Assert.Equal(2, _sender.Requests.Count);
        Assert.NotSame(_sender.Requests[0].Batches, _sender.Requests[1].Batches);
        Assert.Equal(_sender.Requests[0].Batches, _sender.Requests[1].Batches);

        _sender.Requests[1].Succeed(5);
        Assert.Equal(5, (await delivery.Outcome.Soon()).Offset);
    }

    [Theory]
    [InlineData(ErrorCode.MessageTooLarge)]
    [InlineData(ErrorCode.CorruptMessage)]
    [InlineData(ErrorCode.UnknownTopicOrPartition)]
    [InlineData(ErrorCode.InvalidRecord)]
    [InlineData(ErrorCode.UnknownServerError)]
    public async Task NonRetriableError_FailsTheBatch_WithoutRetry(ErrorCode code)
    {
        var failures = new List<(TopicPartition, ErrorCode)>();
        var accumulator = new RecordAccumulator(new ProducerConfig { LingerMs = 0 }, _sender, _time)
        {
            BatchFailed = (partition, error) => failures.Add((partition, error.Code)),
        };
        var delivery = Append(accumulator);

        _sender.Requests[0].Fail(code);

        var error = await Assert.ThrowsAsync<OrlogException>(() => delivery.Outcome.Soon());
        Assert.Equal(code, error.Code);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(_sender.Requests);
        Assert.Equal([(P0, code)], failures);
    }

    [Fact]
    public async Task Retries_StopAfterTheConfiguredNumber()
    {
        var accumulator = Accumulator(c => c.Retries = 2);
        var delivery = Append(accumulator);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(attempt + 1, _sender.Requests.Count);
            _sender.Requests[attempt].Fail(ErrorCode.NotLeaderOrFollower);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        var error = await Assert.ThrowsAsync<OrlogException>(() => delivery.Outcome.Soon());
        Assert.Equal(ErrorCode.NotLeaderOrFollower, error.Code);
        Assert.Equal(3, _sender.Requests.Count);
    }

    [Fact]
    public async Task RetriesZero_FailsOnTheFirstError()
    {
        var accumulator = Accumulator(c => c.Retries = 0);
        var delivery = Append(accumulator);

        _sender.Requests[0].Fail(ErrorCode.RequestTimedOut);

        Assert.Equal(ErrorCode.RequestTimedOut, (await Assert.ThrowsAsync<OrlogException>(() => delivery.Outcome.Soon())).Code);
    }

    [Fact]
    public async Task DeliveryTimeout_EndsRetries()
    {
        var accumulator = Accumulator(c =>
        {
            c.DeliveryTimeoutMs = 30_500;
            c.RetryBackoffMs = 1000;
            c.RetryBackoffMaxMs = 1000;
        });
        var delivery = Append(accumulator);
        _time.Advance(TimeSpan.FromSeconds(30));

        // 30 s spent, and a backoff of at least 800 ms would end past the 30.5 s delivery timeout.
        _sender.Requests[0].Fail(ErrorCode.RequestTimedOut);

        Assert.Equal(ErrorCode.RequestTimedOut, (await Assert.ThrowsAsync<OrlogException>(() => delivery.Outcome.Soon())).Code);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(_sender.Requests);
    }

    [Fact]
    public void Backoff_DoublesPerAttempt_UpToTheMax()
    {
        Assert.Equal(100, RetryPolicy.Backoff(1, 100, 1000, 0.5).TotalMilliseconds, 3);
        Assert.Equal(200, RetryPolicy.Backoff(2, 100, 1000, 0.5).TotalMilliseconds, 3);
        Assert.Equal(400, RetryPolicy.Backoff(3, 100, 1000, 0.5).TotalMilliseconds, 3);
        Assert.Equal(1000, RetryPolicy.Backoff(10, 100, 1000, 0.5).TotalMilliseconds, 3);
        Assert.Equal(1000, RetryPolicy.Backoff(int.MaxValue, 100, 1000, 0.5).TotalMilliseconds, 3);
        Assert.Equal(80, RetryPolicy.Backoff(1, 100, 1000, 0).TotalMilliseconds, 3);
        Assert.Equal(120, RetryPolicy.Backoff(1, 100, 1000, 1).TotalMilliseconds, 3);
    }

    [Fact]
    public void SecondRetry_WaitsLongerThanTheFirst()
    {
        var accumulator = Accumulator();
        Append(accumulator);
        _sender.Requests[0].Fail(ErrorCode.RequestTimedOut);
        _time.Advance(TimeSpan.FromMilliseconds(120));
        _sender.Requests[1].Fail(ErrorCode.RequestTimedOut);

        // The second backoff is 200 ms ± 20%: nothing before 160 ms.
        _time.Advance(TimeSpan.FromMilliseconds(159));
        Assert.Equal(2, _sender.Requests.Count);
        _time.Advance(TimeSpan.FromMilliseconds(81));
        Assert.Equal(3, _sender.Requests.Count);
    }

    [Fact]
    public async Task RetriedBatch_KeepsItsPlaceAheadOfLaterBatches_WithOneInFlight()
    {
        var accumulator = Accumulator(c =>
        {
            c.MaxInFlightRequestsPerPartition = 1;
            c.BatchSize = 50;
        });
        var first = Append(accumulator, 60);
        var second = Append(accumulator, 60);
        Assert.Single(_sender.Requests);

        _sender.Requests[0].Fail(ErrorCode.NotLeaderOrFollower);

        // The later batch waits behind the one in backoff.
        Assert.Single(_sender.Requests);
        _time.Advance(TimeSpan.FromMilliseconds(120));
        var retry = _sender.Requests[1];
        Assert.Equal(2, retry.BatchCount);
        retry.Succeed(10);
        Assert.Equal(10, (await first.Outcome.Soon()).Offset);
        Assert.Equal(11, (await second.Outcome.Soon()).Offset);
    }
}
