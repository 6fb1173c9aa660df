using System.Text;
using Orleans.Streams;
using Orlog.Records;
using Orlog.Streams;
using Xunit;
using StreamQueue = Orlog.Streams.PartitionQueue;

namespace Orlog.Client.Streams;

/// <summary>
/// How the stream cache and its cursors answer the pulling agent when a partition is read again with other
/// batch boundaries (its queue moved to another silo): a batch's token names the span of offsets it holds,
/// a cursor started at a delivered batch's token yields that span first (so the agent steps over exactly
/// it), and a cursor started again before the cache's window finds what an earlier one read from the log.
/// </summary>
public sealed class OrlogQueueCacheTests
{
    private static readonly TopicPartition Partition = new("events", 0);
    private static readonly StreamId Stream = StreamId.Create("events", "meter");
    private readonly FakeFetchClient _log = new();

    public OrlogQueueCacheTests() => _log.Append(Partition, BatchOfTheStream(0, 10));

    [Fact]
    public void ABatchReadAgainWithOtherBoundaries_HasAnotherToken_AndACursorAtTheOldTokenYieldsOnlyTheOldSpanFirst()
    {
        var delivered = Read(CacheFrom(0), 0, 4);
        var cache = CacheFrom(0);
        var again = Read(cache, 0, 6);

        Assert.NotEqual(delivered.SequenceToken, again.SequenceToken);
        using var cursor = cache.GetCacheCursor(Stream, delivered.SequenceToken);
        Assert.Equal([0L, 1, 2, 3], Offsets(Next(cursor)));
        Assert.Equal([4L, 5], Offsets(Next(cursor)));
    }

    [Fact]
    public async Task ACursorStartedAgainBeforeTheWindow_FindsWhatTheLogReadBrought_AtOnce()
    {
        var delivered = Read(CacheFrom(0), 0, 4);
        var cache = CacheFrom(8);
        Read(cache, 8, 10);

        using var first = cache.GetCacheCursor(Stream, delivered.SequenceToken);
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, first.MoveNextWithResult().Kind);
        await cache.Queue.Woken.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([0L, 1, 2, 3], Offsets(Next(first)));

        // The agent steps over a batch the subscriber already had: a new cursor at its token, moved once.
        using var again = cache.GetCacheCursor(Stream, delivered.SequenceToken);
        Assert.Equal(QueueCacheCursorMoveResultKind.Success, again.MoveNextWithResult().Kind);
        Assert.Equal([4L, 5, 6, 7, 8, 9], Offsets(Next(again)));
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, again.MoveNextWithResult().Kind);
    }

    [Fact]
    public void ARewindingCursor_ReadsTheLogFetchAfterFetch_WhenFetchesCompleteAtOnce()
    {
        var log = new FakeFetchClient();
        log.Append(Partition, BatchOfTheStream(0, 5));
        log.Append(Partition, BatchOfTheStream(5, 5));
        var cache = CacheFrom(10, log, fetchMaxBytes: 1);

        using var cursor = cache.GetCacheCursor(Stream, OrlogStreamPositions.AtOffset(1));
        var delivered = new List<long>();
        for (var moves = 0; moves < 10 && delivered.Count < 9; moves++)
        {
            if (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
            {
                delivered.AddRange(Offsets(Assert.IsType<OrlogBatchContainer>(cursor.GetCurrent(out _))));
            }
        }

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8, 9], delivered);
    }

    /// <summary>A cache whose receiver starts reading the partition at <paramref name="start"/>.</summary>
    private OrlogQueueCache CacheFrom(long start) => CacheFrom(start, _log, fetchMaxBytes: 1 << 20);

    private static OrlogQueueCache CacheFrom(long start, FakeFetchClient log, int fetchMaxBytes)
    {
        var options = new OrlogStreamOptions { Serializer = OrlogStreamSerializers.Raw, FetchMaxBytes = fetchMaxBytes };
        var queue = new StreamQueue(QueueId.GetQueueId(Partition.Topic, 0, 0), Partition, "orlog", options, log);
        var cache = new OrlogQueueCache(queue);
        queue.Start(start);
        return cache;
    }

    /// <summary>The receiver reads records <paramref name="from"/> to before <paramref name="to"/> into the cache; returns their batch.</summary>
    private static OrlogBatchContainer Read(OrlogQueueCache cache, long from, long to)
    {
        var batches = new List<OrlogBatchContainer>();
        cache.Queue.ReadPosition = cache.Queue.NewDecoder().Decode(BatchOfTheStream(from, (int)(to - from)), from, null, batches);
        cache.AddToCache([.. batches]);
        return Assert.Single(batches);
    }

    private static OrlogBatchContainer Next(IQueueCacheCursor cursor)
    {
        Assert.Equal(QueueCacheCursorMoveResultKind.Success, cursor.MoveNextWithResult().Kind);
        return Assert.IsType<OrlogBatchContainer>(cursor.GetCurrent(out _));
    }

    private static long[] Offsets(OrlogBatchContainer batch) => [.. batch.GetEvents<byte[]>().Select(e => e.Item2.SequenceNumber)];

    private static byte[] BatchOfTheStream(long baseOffset, int count)
    {
        var builder = new RecordBatchBuilder { BaseOffset = baseOffset };
        for (var i = 0; i < count; i++)
        {
            builder.Append(1000 + baseOffset + i, Encoding.UTF8.GetBytes("meter"), new byte[] { (byte)i });
        }

        return builder.Build();
    }
}
