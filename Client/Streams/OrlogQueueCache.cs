using Orleans.Streams;

namespace Orlog.Streams;

/// <summary>
/// The recent batches of one partition, for the pulling agent's cursors. It is only a window on the
/// log: a cursor that asks for records older than the window reads them from the log itself
/// (<see cref="OrlogQueueCacheCursor"/>), so a subscriber can rewind as far as the log reaches.
/// </summary>
/// <remarks>
/// A batch leaves the window once no cursor of its stream still needs it; the agent then reports it
/// delivered. Everything at or after <see cref="CompleteFrom"/> that the receiver has read is in the
/// window. When the window is full the agent pauses reading until the slowest subscriber catches up.
/// </remarks>
internal sealed class OrlogQueueCache : IQueueCache
{
    private readonly PartitionQueue _queue;
    private readonly List<OrlogBatchContainer> _batches = [];
    private readonly Dictionary<StreamId, List<OrlogBatchContainer>> _byStream = [];
    private readonly HashSet<OrlogQueueCacheCursor> _cursors = [];
    private readonly Dictionary<StreamId, List<LogRead>> _history = [];
    private int _head;
    private long _purgedUpTo = -1;

    public OrlogQueueCache(PartitionQueue queue)
    {
        _queue = queue;
        queue.Cache = this;
    }

    public PartitionQueue Queue => _queue;

    /// <summary>Every batch the receiver read from this offset on is still in the window.</summary>
    public long CompleteFrom => Math.Max(_purgedUpTo, _queue.StartPosition);

    /// <summary>Everything below this offset has been delivered to every subscriber (the checkpoint to commit).</summary>
    public long DeliveredUpTo => _head < _batches.Count ? _batches[_head].FirstOffset : _queue.ReadPosition;

    public int GetMaxAddCount() => QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        foreach (var message in messages)
        {
            if (message is OrlogBatchContainer batch)
            {
                _batches.Add(batch);
                if (!_byStream.TryGetValue(batch.StreamId, out var ofStream))
                {
                    _byStream[batch.StreamId] = ofStream = [];
                }

                ofStream.Add(batch);
            }
        }
    }

    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        var neededFrom = new Dictionary<StreamId, long>();
        var readingLogFrom = new Dictionary<StreamId, long>();
        foreach (var cursor in _cursors)
        {
            var (needs, position) = cursor.NeededFrom is { } from ? (neededFrom, from) : (readingLogFrom, cursor.Position);
            if (!needs.TryGetValue(cursor.StreamId, out var known) || position < known)
            {
                needs[cursor.StreamId] = position;
            }
        }

        ForgetHistoryBehind(readingLogFrom);
        List<IBatchContainer>? purged = null;
        while (_head < _batches.Count)
        {
            var batch = _batches[_head];
            if (neededFrom.TryGetValue(batch.StreamId, out var from) && batch.LastOffset >= from)
            {
                break;
            }

            _head++;
            _purgedUpTo = Math.Max(_purgedUpTo, batch.LastOffset + 1);
            var ofStream = _byStream[batch.StreamId];
            ofStream.RemoveAt(0);
            if (ofStream.Count == 0)
            {
                _byStream.Remove(batch.StreamId);
            }

            (purged ??= []).Add(batch);
        }

        if (_head > 0 && _head * 2 >= _batches.Count)
        {
            _batches.RemoveRange(0, _head);
            _head = 0;
        }

        purgedItems = purged!;
        return purged is not null;
    }

    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        // No token: from the next record read, as Orleans caches do. A token's event index is the span of
        // offsets of the batch it names (OrlogBatchContainer.SequenceToken): the first move stops there.
        var cursor = token is null
            ? new OrlogQueueCacheCursor(this, streamId, _queue.ReadPosition, firstUpTo: long.MaxValue)
            : new OrlogQueueCacheCursor(this, streamId, token.SequenceNumber, firstUpTo: token.SequenceNumber + token.EventIndex);
        _cursors.Add(cursor);
        return cursor;
    }

    public bool IsUnderPressure() => _batches.Count - _head >= _queue.Options.CacheSize;

    /// <summary>The stream's events from <paramref name="offset"/> on in the first batch of the window that has any; null when none has.</summary>
    public OrlogBatchContainer? NextOf(StreamId streamId, long offset)
    {
        if (!_byStream.TryGetValue(streamId, out var ofStream))
        {
            return null;
        }

        // Batches of a stream do not overlap: find the first whose last offset reaches the offset.
        int low = 0, high = ofStream.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (ofStream[middle].LastOffset < offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low < ofStream.Count ? ofStream[low].From(offset) : null;
    }

    public void Forget(OrlogQueueCacheCursor cursor) => _cursors.Remove(cursor);

    /// <summary>
    /// The stream's events from <paramref name="offset"/> on that the cursors' log reads brought, if one of
    /// them covers the offset; when one covers the offset but holds no later events, moves
    /// <paramref name="offset"/> to where that read ended and returns null.
    /// </summary>
    public OrlogBatchContainer? FromHistory(StreamId streamId, ref long offset)
    {
        if (!_history.TryGetValue(streamId, out var reads))
        {
            return null;
        }

        foreach (var read in reads)
        {
            if (offset < read.From || offset >= read.UpTo)
            {
                continue;
            }

            foreach (var batch in read.Batches)
            {
                if (batch.From(offset) is { } events)
                {
                    return events;
                }
            }

            offset = read.UpTo;
            return null;
        }

        return null;
    }

    /// <summary>
    /// Keeps what a cursor read of the stream from the log (records from <paramref name="from"/> to before
    /// <paramref name="upTo"/>) for every cursor of the stream, while one still reads the log before its end:
    /// a cursor the agent starts again at the same place (to step over a batch the subscriber had) finds the
    /// same events at once, not after another read.
    /// </summary>
    public void AddHistory(StreamId streamId, long from, long upTo, List<OrlogBatchContainer> batches)
    {
        if (!_history.TryGetValue(streamId, out var reads))
        {
            _history[streamId] = reads = [];
        }

        reads.Add(new LogRead(from, upTo, batches));
    }

    /// <summary>Drops the log reads no cursor needs: of streams none reads from the log, and those behind every cursor that does.</summary>
    private void ForgetHistoryBehind(Dictionary<StreamId, long> readingLogFrom)
    {
        foreach (var (stream, reads) in _history)
        {
            if (!readingLogFrom.TryGetValue(stream, out var lowest))
            {
                _history.Remove(stream);
            }
            else
            {
                reads.RemoveAll(read => read.UpTo <= lowest);
            }
        }
    }

    private sealed record LogRead(long From, long UpTo, List<OrlogBatchContainer> Batches);
}
