using System.Buffers;
using Orlog.Records;

namespace Orlog.Log;

/// <summary>Appends, offset lookups, reads and truncation.</summary>
public sealed partial class LogSegment
{
    /// <summary>
    /// Writes already validated and offset-stamped batches at the end of the file and indexes them.
    /// </summary>
    /// <param name="batches">Whole batches back to back; only read during the call.</param>
    /// <param name="now">Wall-clock time (ms), the start of <c>segment.ms</c> for an empty segment.</param>
    public void Append(ReadOnlySpan<byte> batches, long now)
    {
        if (IsClosed)
        {
            throw new InvalidOperationException($"Segment {LogPath} is closed.");
        }

        var position = Size;
        _log.Write(position, batches);
        if (RollStartTime < 0)
        {
            RollStartTime = now;
        }

        var at = 0;
        while (at < batches.Length)
        {
            var header = new RecordBatchHeader(batches[at..]);
            IndexBatch(new BatchInfo(position + at, header.SizeInBytes, header.BaseOffset, header.LastOffset, header.MaxTimestamp, header.PartitionLeaderEpoch));
            at += header.SizeInBytes;
        }
    }

    /// <summary>
    /// Finds the first batch whose last offset is at or above <paramref name="offset"/>: a
    /// binary search of the sparse index, then a scan of at most one index interval.
    /// </summary>
    public bool TryFindBatch(long offset, out BatchInfo batch)
    {
        batch = default;
        if (offset >= NextOffset)
        {
            return false;
        }

        EnsureIndexes();
        var start = _index!.Lookup(offset);
        using var scanner = BatchScanner.Start(_log, start.Position, Size, LookupChunkBytes(_indexIntervalBytes));
        while (scanner.TryNext(out batch))
        {
            if (batch.LastOffset >= offset)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads whole batches starting with <paramref name="first"/>: as many as fit in
    /// <paramref name="maxBytes"/>, but always the first one, and none at or past
    /// <paramref name="maxOffset"/> (exclusive).
    /// </summary>
    /// <returns>A new buffer owned by the caller.</returns>
    public ReadOnlyMemory<byte> Read(in BatchInfo first, int maxBytes, long maxOffset)
    {
        var length = ReadLength(first, maxBytes, maxOffset);
        if (length == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var buffer = GC.AllocateUninitializedArray<byte>(length);
        return buffer.AsMemory(0, ReadWholeBatches(first.Position, buffer));
    }

    /// <summary>As <see cref="Read"/>, into the caller's buffer; returns the bytes written.</summary>
    public int ReadInto(in BatchInfo first, int maxBytes, long maxOffset, IBufferWriter<byte> destination)
    {
        var length = ReadLength(first, maxBytes, maxOffset);
        if (length == 0)
        {
            return 0;
        }

        var written = ReadWholeBatches(first.Position, destination.GetSpan(length)[..length]);
        destination.Advance(written);
        return written;
    }
    /// <summary>
    /// Removes every batch whose last offset is at or above <paramref name="offset"/>; returns
    /// the bytes removed. The segment then ends at the base offset of the first removed batch.
    /// </summary>
    public long TruncateTo(long offset)
    {
        if (!TryFindBatch(offset, out var first))
        {
            return 0;
        }

        var removed = Size - first.Position;
        _log.Truncate(first.Position);
        Rebuild();
        if (IsClosed)
        {
            DeleteIndexFiles();
            IsClosed = false;
        }

        if (IsEmpty)
        {
            RollStartTime = -1;
        }

        return removed;
    }

    /// <summary>How many bytes a read from <paramref name="first"/> takes before trimming to whole batches.</summary>
    private int ReadLength(in BatchInfo first, int maxBytes, long maxOffset)
    {
        var limit = Size;
        if (maxOffset < NextOffset && TryFindBatch(maxOffset, out var bound))
        {
            // A batch that straddles maxOffset is left out whole: no partial batch is ever returned.
            limit = bound.Position;
        }

        return (int)Math.Max(0, Math.Min(Math.Max(maxBytes, first.Size), limit - first.Position));
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="position"/>; returns the length of the whole batches in it.</summary>
    private int ReadWholeBatches(long position, Span<byte> buffer)
    {
        var read = _log.Read(position, buffer);
        return WholeBatchesLength(buffer[..read]);
    }

    private static int WholeBatchesLength(ReadOnlySpan<byte> bytes)
    {
        var length = 0;
        while (bytes.Length - length >= RecordBatchLayout.HeaderSize)
        {
            var size = new RecordBatchHeader(bytes[length..]).SizeInBytes;
            if (size > bytes.Length - length)
            {
                break;
            }

            length += size;
        }

        return length;
    }

    private void IndexBatch(in BatchInfo batch)
    {
        if (_bytesSinceLastIndexEntry >= _indexIntervalBytes && batch.Position > 0)
        {
            _index!.Append(batch.BaseOffset, checked((int)batch.Position));
            _timeIndex!.MaybeAppend(MaxTimestamp, batch.BaseOffset);
            _bytesSinceLastIndexEntry = 0;
        }

        _bytesSinceLastIndexEntry += batch.Size;
        TrackTimestamp(batch);
        NextOffset = batch.NextOffset;
    }

    private void TrackTimestamp(in BatchInfo batch)
    {
        if (batch.MaxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = batch.MaxTimestamp;
        }
    }
}
