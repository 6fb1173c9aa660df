using Orleans.Streams;
using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Streams;

/// <summary>
/// One subscriber's place in a stream: the next offset it needs. At or after the cache's window it
/// reads the window; before it (a rewind, or a subscriber that resumes from an old token) it reads
/// the stream's records from the log, a fetch at a time, into the cache's history of the stream, and
/// asks the receiver to wake the agent when a fetch has brought some: the agent's cursor interface is
/// synchronous, so a cursor that has nothing yet answers "nothing" and is run again at the wake-up.
/// </summary>
/// <remarks>
/// The first move ends at <c>firstUpTo</c>: a cursor the agent starts at a batch's token yields that same
/// span of offsets first, which the agent steps over when the subscriber already had it.
/// </remarks>
internal sealed class OrlogQueueCacheCursor(OrlogQueueCache cache, StreamId streamId, long start, long firstUpTo) : IQueueCacheCursor
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private long _next = start;
    private long _firstUpTo = firstUpTo;
    private OrlogBatchContainer? _current;
    private Task? _reading;
    private ChunkDecoder? _decoder;
    private bool _disposed;

    public StreamId StreamId { get; } = streamId;

    /// <summary>The next offset of the stream the subscriber needs.</summary>
    public long Position => _next;

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

        if (_firstUpTo != long.MaxValue)
        {
            next = next.UpTo(_firstUpTo) ?? next;
            _firstUpTo = long.MaxValue;
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
        var position = _next;
        if (cache.FromHistory(StreamId, ref position) is { } events)
        {
            return events;
        }

        // The history covers offsets up to position without events of this stream: step over them.
        _next = position;
        if (_next >= cache.CompleteFrom)
        {
            return cache.NextOf(StreamId, _next);
        }

        if (_reading is null)
        {
            // A read that completes at once has already woken the agent and must not stay recorded as running.
            var reading = ReadFromLogAsync();
            _reading = reading.IsCompleted ? null : reading;
        }

        return null;
    }

    /// <summary>Reads the stream's records from <see cref="_next"/> into the cache's history of the stream, then has the agent woken.</summary>
    private async Task ReadFromLogAsync()
    {
        var queue = cache.Queue;
        var from = _next;
        try
        {
            try
            {
                var result = await queue.Fetch.FetchAsync(queue.Partition, from, queue.Options.FetchMaxBytes, 0, TimeSpan.Zero).ConfigureAwait(true);
                var batches = new List<OrlogBatchContainer>();
                var upTo = (_decoder ??= queue.NewDecoder()).Decode(result.Records, from, StreamId, batches);
                cache.AddHistory(StreamId, from, upTo, batches);
            }
            catch (OrlogException e) when (e.Code == ErrorCode.OffsetOutOfRange)
            {
                // Retention removed what the subscriber asked for: it gets the oldest records there are.
                var earliest = (await queue.Fetch.ListOffsetsAsync(queue.Partition, OffsetSpec.Earliest).ConfigureAwait(true)).Offset;
                cache.AddHistory(StreamId, from, earliest, []);
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
