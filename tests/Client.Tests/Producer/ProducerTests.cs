using System.Text;
using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using Orlog.Records;
using Xunit;

namespace Orlog.Client;

public class ProducerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeBatchSender _sender = new() { AutoSucceed = true };
    private readonly FakeTopicMetadata _metadata = new();

    public ProducerTests()
    {
        _metadata.Topics["orders"] = 8;
    }

    private Producer<string, string> Producer(Action<ProducerConfig>? change = null)
    {
        var config = new ProducerConfig { LingerMs = 0 };
        change?.Invoke(config);
        return new Producer<string, string>(config, Serializers.Utf8, Serializers.Utf8, _sender, _metadata, _time, new Random(9));
    }

    [Fact]
    public async Task ProduceAsync_ReportsTopicPartitionOffsetAndTimestamp()
    {
        await using var producer = Producer();
        var message = new Message<string, string> { Key = "foobar", Value = "v" };

        var result = await producer.ProduceAsync("orders", message, TestContext.Current.CancellationToken).Soon();

        Assert.Equal("orders", result.Topic);
        Assert.Equal((-790332482 & 0x7fffffff) % 8, result.Partition);
        Assert.Equal(0, result.Offset.Value);
        Assert.Equal(new Timestamp(_time.GetUtcNow().ToUnixTimeMilliseconds(), TimestampType.CreateTime), result.Timestamp);
        Assert.Same(message, result.Message);
    }

    [Fact]
    public async Task ProduceAsync_WritesKeyValueHeadersAndTimestamp()
    {
        await using var producer = Producer();
        var headers = new Headers { { "trace", "abc" } };

        await producer.ProduceAsync(
            new TopicPartition("orders", 3),
            new Message<string, string> { Key = "k", Value = "v", Timestamp = new Timestamp(1234, TimestampType.CreateTime), Headers = headers },
            TestContext.Current.CancellationToken).Soon();

        var request = Assert.Single(_sender.Requests);
        Assert.Equal(new TopicPartition("orders", 3), request.Partition);
        using var reader = new RecordBatchReader(request.Batches);
        foreach (var record in reader)
        {
            Assert.Equal("k", Encoding.UTF8.GetString(record.Key));
            Assert.Equal("v", Encoding.UTF8.GetString(record.Value));
            Assert.Equal(1234, record.Timestamp);
            foreach (var header in record.Headers)
            {
                Assert.Equal("trace", Encoding.UTF8.GetString(header.Key));
                Assert.Equal("abc", Encoding.UTF8.GetString(header.Value));
            }
        }
    }

    [Fact]
    public async Task RecordsWaitingForMetadata_KeepTheOrderTheyWereProducedIn()
    {
        await using var producer = Producer();
        _metadata.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var sends = Enumerable.Range(0, 200)
            .Select(i => producer.ProduceAsync("orders", new Message<string, string> { Key = "same", Value = $"{i}" }, TestContext.Current.CancellationToken))
            .ToList();
        _metadata.Gate.SetResult();
        await Task.WhenAll(sends).Soon();

        var values = new List<int>();
        foreach (var request in _sender.Requests)
        {
            using var reader = new RecordBatchReader(request.Batches);
            foreach (var record in reader)
            {
                values.Add(int.Parse(Encoding.UTF8.GetString(record.Value), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(Enumerable.Range(0, 200), values);
    }

    [Fact]
    public async Task NullKeys_StickToAPartition_UntilItsBatchIsSent()
    {
        var sender = new FakeBatchSender();
        await using var producer = new Producer<Null, string>(
            new ProducerConfig { LingerMs = 100 }, Serializers.Null, Serializers.Utf8, sender, _metadata, _time, new Random(9));

        var first = Enumerable.Range(0, 3).Select(i => producer.ProduceAsync("orders", new Message<Null, string> { Value = $"v{i}" }, TestContext.Current.CancellationToken)).ToArray();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var batch = Assert.Single(sender.Requests);
        Assert.Equal(3, batch.RecordCount);
        using (var reader = new RecordBatchReader(batch.Batches))
        {
            foreach (var record in reader)
            {
                Assert.True(record.IsKeyNull);
                Assert.False(record.IsValueNull);
            }
        }

        var next = producer.ProduceAsync("orders", new Message<Null, string> { Value = "after" }, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.NotEqual(batch.Partition, sender.Requests[1].Partition);
        batch.Succeed(0);
        sender.Requests[1].Succeed(0);
        await Task.WhenAll(first).Soon();
        await next.Soon();
    }

    [Fact]
    public async Task ProduceAsync_ToAnUnknownTopic_Fails()
    {
        await using var producer = Producer();

        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(
            () => producer.ProduceAsync("nope", new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken).Soon());

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
        Assert.Equal("nope", error.DeliveryResult.Topic);
    }

    [Fact]
    public async Task ProduceAsync_ToAPartitionBeyondTheCount_Fails()
    {
        await using var producer = Producer();

        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(
            () => producer.ProduceAsync(new TopicPartition("orders", 8), new Message<string, string> { Value = "v" }, TestContext.Current.CancellationToken).Soon());

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
        Assert.Contains("8 partitions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTopicFromTheBroker_FailsAndForgetsThePartitionCount()
    {
        var sender = new FakeBatchSender();
        await using var failing = new Producer<string, string>(new ProducerConfig { LingerMs = 0 }, Serializers.Utf8, Serializers.Utf8, sender, _metadata, _time);
        var produced = failing.ProduceAsync("orders", new Message<string, string> { Value = "v" }, TestContext.Current.CancellationToken);
        Assert.Equal(1, _metadata.Lookups);

        sender.Requests[0].Fail(ErrorCode.UnknownTopicOrPartition);

        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(() => produced.Soon());
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
        Assert.False(_metadata.TryGetPartitionCount("orders", out _));
    }

    [Fact]
    public async Task SerializerFailure_IsAnInvalidRecord()
    {
        await using var producer = new Producer<string, string>(
            new ProducerConfig(), new ThrowingSerializer(), Serializers.Utf8, _sender, _metadata, _time);

        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(
            () => producer.ProduceAsync("orders", new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken).Soon());

        Assert.Equal(ErrorCode.InvalidRecord, error.Code);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produce_CallsTheHandlerWithTheReport()
    {
        await using var producer = Producer();
        var report = new TaskCompletionSource<DeliveryReport<string, string>>(TaskCreationOptions.RunContinuationsAsynchronously);

        producer.Produce("orders", new Message<string, string> { Key = "k", Value = "v" }, r => report.SetResult(r));

        var delivered = await report.Task.Soon();
        Assert.False(delivered.IsError);
        Assert.Equal(0, delivered.Offset.Value);
    }

    [Fact]
    public async Task Produce_ReportsFailuresToTheHandler()
    {
        var sender = new FakeBatchSender();
        await using var producer = new Producer<string, string>(new ProducerConfig { LingerMs = 0 }, Serializers.Utf8, Serializers.Utf8, sender, _metadata, _time);
        var report = new TaskCompletionSource<DeliveryReport<string, string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        producer.Produce("orders", new Message<string, string> { Value = "v" }, r => report.SetResult(r));

        sender.Requests[0].Fail(ErrorCode.MessageTooLarge);

        var failed = await report.Task.Soon();
        Assert.True(failed.IsError);
        Assert.Equal(ErrorCode.MessageTooLarge, failed.Error!.Code);
        Assert.Equal(Offset.Unset, failed.Offset);
    }

    [Fact]
    public void Produce_ThrowsWhenTheMessageCannotBeQueued()
    {
        using var producer = Producer();

        var error = Assert.Throws<ProduceException<string, string>>(() => producer.Produce("nope", new Message<string, string> { Value = "v" }));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
    }

    [Fact]
    public async Task Dispose_FlushesLingeringMessages()
    {
        var producer = Producer(c => c.LingerMs = 60_000);
        var produced = producer.ProduceAsync("orders", new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken);
        Assert.Empty(_sender.Requests);

        await producer.DisposeAsync();

        Assert.Single(_sender.Requests);
        Assert.Equal(0, (await produced.Soon()).Offset.Value);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => producer.ProduceAsync("orders", new Message<string, string> { Value = "v" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Flush_ReturnsTheCountStillPending()
    {
        var sender = new FakeBatchSender();
        await using var producer = new Producer<string, string>(new ProducerConfig { LingerMs = 0 }, Serializers.Utf8, Serializers.Utf8, sender, _metadata, _time);
        var produced = producer.ProduceAsync("orders", new Message<string, string> { Value = "v" }, TestContext.Current.CancellationToken);

        Assert.Equal(1, producer.Flush(TimeSpan.Zero));

        sender.Requests[0].Succeed(0);
        await produced.Soon();
        await producer.FlushAsync(TestContext.Current.CancellationToken).Soon();
        Assert.Equal(0, producer.PendingCount);
    }

    private sealed class ThrowingSerializer : ISerializer<string>
    {
        public byte[]? Serialize(string data, SerializationContext context) => throw new FormatException("boom");
    }
}
