using Orleans.Streams;
using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Streams;

/// <summary>
/// One subscriber's place in a stream: the next offset it needs. At or after the cache's window it
/// reads the window; before it (a rewind, or a subscriber that resumes from an old token) it reads
/// the stream's records from the log, a fetch at a time, and asks the receiver to wake the agent when
/// a fetch has brought some: the agent's cursor interface is synchronous, so a cursor that has
/// nothing yet answers "nothing" and is run again at the wake-up.
/// </summary>
internal sealed class OrlogQueueCacheCursor(OrlogQueueCache cache, StreamId streamId, long start) : IQueueCacheCursor
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private readonly Queue<OrlogBatchContainer> _fromLog = new();
    private long _next = start;
    private long _readFromLogUpTo = start;
    private OrlogBatchContainer? _current;
    private Task? _reading;
    private ChunkDecoder? _decoder;
    private bool _disposed;

    public StreamId StreamId { get; } = streamId;

    /// <summary>The oldest offset of the window this cursor still needs (its batch being delivered); null while it reads from the log.</summary>
    public long? NeededFrom => _next < cache.CompleteFrom ? null : _current?.FirstOffset ?? _next;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    public bool MoveNext()
    {
        // The agent moves on only once the current batch has been delivered.
        _current = null;
        var next = _next < cache.CompleteFrom ? NextFromLog() : cache.NextOf(StreamId, _next);
        if (next is null)
        {
            return false;
        }

        _current = next;
        _next = next.LastOffset + 1;
        return true;
    }

    public void Refresh(StreamSequenceToken token)
    {
        // The cursor finds its batches by offset each time; nothing to refresh.
    }

    public void RecordDeliveryFailure()
    {
        // The agent's failure handling decides what happens to the subscription.
    }

    public void Dispose()
    {
        _disposed = true;
        cache.Forget(this);
    }

    private OrlogBatchContainer? NextFromLog()
    {
        while (_fromLog.TryDequeue(out var batch))
        {
            if (batch.From(_next) is { } events)
            {
                return events;
            }
        }

        if (_readFromLogUpTo > _next)
        {
            _next = _readFromLogUpTo;
            if (_next >= cache.CompleteFrom)
            {
                return cache.NextOf(StreamId, _next);
            }
        }

        _reading ??= ReadFromLogAsync();
        return null;
    }

    private async Task ReadFromLogAsync()
    {
        var queue = cache.Queue;
        var from = Math.Max(_next, _readFromLogUpTo);
        try
        {
            try
            {
                var result = await queue.Fetch.FetchAsync(queue.Partition, from, queue.Options.FetchMaxBytes, 0, TimeSpan.Zero).ConfigureAwait(true);
                var batches = new List<OrlogBatchContainer>();
                _readFromLogUpTo = (_decoder ??= queue.NewDecoder()).Decode(result.Records, from, StreamId, batches);
                foreach (var batch in batches)
                {
                    _fromLog.Enqueue(batch);
                }
            }
            catch (OrlogException e) when (e.Code == ErrorCode.OffsetOutOfRange)
            {
                // Retention removed what the subscriber asked for: it gets the oldest records there are.
                _readFromLogUpTo = (await queue.Fetch.ListOffsetsAsync(queue.Partition, OffsetSpec.Earliest).ConfigureAwait(true)).Offset;
            }
        }
        catch (Exception e) when (e is OrlogException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            await Task.Delay(RetryAfter, CancellationToken.None).ConfigureAwait(true);
        }
        finally
        {
            _reading = null;
            if (!_disposed)
            {
                queue.WakeUp(StreamId, _next);
            }
        }
    }
}
