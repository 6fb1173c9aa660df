using System.Buffers;
using Orlog.Errors;

namespace Orlog.Log;

/// <summary>Reads and lookups.</summary>
public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches from the one holding <paramref name="offset"/>: as many as fit in
    /// <paramref name="maxBytes"/> but at least one, even a larger one (as Kafka does, so a
    /// consumer never stalls on a big batch), and none at or past <paramref name="maxOffset"/>.
    /// At the log end (or at <paramref name="maxOffset"/>) the result is empty.
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">The offset is below the log start or past the log end.</exception>
    /// <exception cref="OrlogException">INVALID_FETCH_SIZE when <paramref name="maxBytes"/> is not positive.</exception>
    public LogReadResult Read(long offset, int maxBytes, long maxOffset = long.MaxValue)
    {
        lock (_lock)
        {
            var records = TryLocate(offset, maxBytes, maxOffset, out var segment, out var first, out var end)
                ? segment.Read(first, maxBytes, end)
                : ReadOnlyMemory<byte>.Empty;
            return new LogReadResult(records, _logStartOffset, _logEndOffset);
        }
    }

    /// <summary>
    /// As <see cref="Read(long, int, long)"/>, into a buffer the caller owns and reuses, so a
    /// read allocates nothing. Returns the bytes written to <paramref name="destination"/>.
    /// </summary>
    public int Read(long offset, int maxBytes, IBufferWriter<byte> destination, long maxOffset = long.MaxValue)
    {
        lock (_lock)
        {
            return TryLocate(offset, maxBytes, maxOffset, out var segment, out var first, out var end)
                ? segment.ReadInto(first, maxBytes, end, destination)
                : 0;
        }
    }

    /// <summary>
    /// Checks the request and finds the batch holding <paramref name="offset"/>; false when
    /// there is nothing to read below <paramref name="maxOffset"/>. Callers hold the lock.
    /// </summary>
    private bool TryLocate(long offset, int maxBytes, long maxOffset, out LogSegment segment, out BatchInfo first, out long end)
    {
        if (maxBytes <= 0)
        {
            throw new OrlogException(ErrorCode.InvalidFetchSize, $"maxBytes must be positive; got {maxBytes}.");
        }

        ObjectDisposedException.ThrowIf(_closed, this);
        if (offset < _logStartOffset || offset > _logEndOffset)
        {
            throw new OffsetOutOfRangeException(offset, _logStartOffset, _logEndOffset);
        }

        end = Math.Min(maxOffset, _logEndOffset);
        var segments = _segments;
        for (var i = FloorSegment(segments, offset); offset < end && i < segments.Length; i++)
        {
            if (segments[i].TryFindBatch(offset, out first))
            {
                segment = segments[i];
                return first.BaseOffset < end;
            }
        }

        segment = segments[^1];
        first = default;
        return false;
    }

    /// <summary>
    /// The first record whose timestamp is at or above <paramref name="timestamp"/> (Kafka's
    /// ListOffsets by time), or false when every record is older.
    /// </summary>
    public bool TryFindOffsetByTimestamp(long timestamp, out TimestampOffset found)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            foreach (var segment in _segments)
            {
                if (segment.NextOffset > _logStartOffset && segment.TryFindOffsetByTimestamp(timestamp, _logStartOffset, out found))
                {
                    return true;
                }
            }

            found = default;
            return false;
        }
    }
}
