using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using Xunit;

namespace Orlog.Client;

/// <summary>
/// The consumer against an in-memory partition log. Consume waits on the fetchers' signal, not on
/// time: a record that is there arrives at once, and the generous timeouts only bound a failure.
/// </summary>
public sealed class ConsumerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);
    private readonly FakeFetchClient _log = new();
    private readonly FakeTimeProvider _time = new();
    private Consumer<string, string>? _consumer;

    private Consumer<string, string> Consumer(AutoOffsetReset reset = AutoOffsetReset.Latest) =>
        _consumer = new Consumer<string, string>(new ConsumerConfig { AutoOffsetReset = reset }, Deserializers.Utf8, Deserializers.Utf8, _log, new FakeGroupClient(), new ConsumerHandlers<string, string>(null, null, null, null), _time);

    public void Dispose() => _consumer?.Dispose();

    [Fact]
    public void Consume_StartsAtTheAssignedOffset_InsideABatch()
    {
        _log.Append(P0, Batches.Build(0, 5));
        _log.Append(P0, Batches.Build(5, 5));
        var consumer = Consumer();

        consumer.Assign([new TopicPartitionOffset(P0, 3)]);

        var offsets = Enumerable.Range(0, 7).Select(_ => consumer.Consume(Wait)!.Offset.Value).ToArray();
        Assert.Equal([3L, 4, 5, 6, 7, 8, 9], offsets);
        Assert.Equal(10, consumer.Position(P0).Value);
    }

    [Fact]
    public void Consume_WithAnInfiniteTimeout_WaitsForTheRecord()
    {
        _log.Append(P0, Batches.Build(0, 1));
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, 0)]);

        var result = consumer.Consume(Timeout.InfiniteTimeSpan);

        Assert.Equal(0, result!.Offset.Value);
    }

    [Fact]
    public void Consume_ReturnsKeyValueAndTimestamp()
    {
        _log.Append(P0, Batches.Build(0, 1));
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, Offset.Beginning)]);

        var result = consumer.Consume(Wait)!;

        Assert.Equal(new TopicPartitionOffset(P0, 0), result.TopicPartitionOffset);
        Assert.Equal("k0", result.Message.Key);
        Assert.Equal("v0", result.Message.Value);
        Assert.Equal(1000, result.Message.Timestamp.UnixTimestampMs);
    }

    [Fact]
    public void Consume_ReturnsNull_WhenNothingArrivesInTime()
    {
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, Offset.End)]);

        Assert.Null(consumer.Consume(TimeSpan.Zero));
    }

    [Fact]
    public void Consume_TakesRoundRobinAcrossPartitions()
    {
        _log.Append(P0, Batches.Build(0, 3));
        _log.Append(P1, Batches.Build(0, 3));
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, 0), new TopicPartitionOffset(P1, 0)]);

        // A fetch at offset 3 means that partition's first chunk is queued: then the order is not a race between fetchers.
        Assert.True(SpinWait.SpinUntil(() => _log.Fetches.Count(f => f.Offset == 3) == 2, Wait));

        var partitions = Enumerable.Range(0, 6).Select(_ => consumer.Consume(Wait)!).Select(r => (r.Partition, r.Offset.Value)).ToArray();

        Assert.Equal([(0, 0L), (1, 0L), (0, 1L), (1, 1L), (0, 2L), (1, 2L)], partitions);
    }

    [Fact]
    public void Pause_SkipsAPartition_KeepingItsPosition_UntilResume()
    {
        _log.Append(P0, Batches.Build(0, 3));
        _log.Append(P1, Batches.Build(0, 3));
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, 0), new TopicPartitionOffset(P1, 0)]);

        consumer.Pause([P0]);
        var whilePaused = Enumerable.Range(0, 3).Select(_ => consumer.Consume(Wait)!.TopicPartitionOffset).ToArray();
        var nothingMore = consumer.Consume(TimeSpan.FromMilliseconds(50));
        consumer.Resume([P0]);
        var afterResume = Enumerable.Range(0, 3).Select(_ => consumer.Consume(Wait)!.TopicPartitionOffset).ToArray();

        Assert.Equal([new(P1, 0), new(P1, 1), new(P1, 2)], whilePaused);
        Assert.Null(nothingMore);
        Assert.Equal([new(P0, 0), new(P0, 1), new(P0, 2)], afterResume);
        Assert.Empty(consumer.Paused);
    }

    [Fact]
    public void Pause_OfAPartitionNotAssigned_IsRefused()
    {
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, 0)]);

        Assert.Throws<InvalidOperationException>(() => consumer.Pause([P1]));
        Assert.Empty(consumer.Paused);
    }

    [Fact]
    public void OffsetOutOfRange_WithEarliest_ResetsToTheLogStart()
    {
        _log.Append(P0, Batches.Build(0, 10));
        _log.SetLogStart(P0, 5);
        var consumer = Consumer(AutoOffsetReset.Earliest);

        consumer.Assign([new TopicPartitionOffset(P0, 2)]);

        Assert.Equal(5, consumer.Consume(Wait)!.Offset.Value);
    }

    [Fact]
    public void OffsetOutOfRange_WithLatest_ResetsToTheEnd()
    {
        _log.Append(P0, Batches.Build(0, 10));
        var consumer = Consumer(AutoOffsetReset.Latest);

        consumer.Assign([new TopicPartitionOffset(P0, 50)]);

        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(50)));
        Assert.Contains(_log.Fetches, f => f.Offset == 10);
    }

    [Fact]
    public void OffsetOutOfRange_WithError_RaisesFromConsume()
    {
        _log.Append(P0, Batches.Build(0, 10));
        var consumer = Consumer(AutoOffsetReset.Error);
        consumer.Assign([new TopicPartitionOffset(P0, 50)]);

        var error = Assert.Throws<ConsumeException>(() => consumer.Consume(Wait));

        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Equal(new TopicPartitionOffset(P0, 50), error.Position);
        Assert.Contains("Seek", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seek_DropsPrefetchedRecords_AndRestartsThere()
    {
        _log.Append(P0, Batches.Build(0, 10));
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, 0)]);
        Assert.Equal(0, consumer.Consume(Wait)!.Offset.Value);

        consumer.Seek(new TopicPartitionOffset(P0, 7));

        Assert.Equal(7, consumer.Consume(Wait)!.Offset.Value);
        Assert.Equal(8, consumer.Position(P0).Value);
    }

    [Fact]
    public void Assign_ReplacesTheAssignment()
    {
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, 0)]);

        consumer.Assign([new TopicPartitionOffset(P1, 0)]);

        Assert.Equal([P1], consumer.Assignment);
        Assert.Throws<InvalidOperationException>(() => consumer.Position(P0));
        consumer.Unassign();
        Assert.Empty(consumer.Assignment);
    }

    [Fact]
    public void QueryWatermarkOffsets_AsksForEarliestAndLatest()
    {
        _log.Append(P0, Batches.Build(0, 10));
        _log.SetLogStart(P0, 4);
        var consumer = Consumer();

        Assert.Equal(new WatermarkOffsets(4, 10), consumer.QueryWatermarkOffsets(P0, Wait));
    }

    [Fact]
    public void OffsetsForTimes_FindsTheFirstRecordAtOrAfterTheTime()
    {
        _log.Append(P0, Batches.Build(0, 10));
        var consumer = Consumer();

        var offsets = consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp(P0, new Timestamp(1006, Records.TimestampType.CreateTime)), new TopicPartitionTimestamp(P0, new Timestamp(5000, Records.TimestampType.CreateTime))],
            Wait);

        Assert.Equal([new TopicPartitionOffset(P0, 6), new TopicPartitionOffset(P0, Offset.End)], offsets);
    }

    [Fact]
    public void Close_StopsTheConsumer()
    {
        var consumer = Consumer();
        consumer.Assign([new TopicPartitionOffset(P0, 0)]);

        consumer.Close();

        Assert.Throws<ObjectDisposedException>(() => consumer.Consume(TimeSpan.Zero));
    }
}
