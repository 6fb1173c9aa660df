using Orlog.Errors;
using Orlog.Log.Index;
using Orlog.Records;

namespace Orlog.Tiering;

/// <summary>
/// Reads whole record batches from remote segments: the segment's offset index (fetched once and
/// kept) gives the byte position to start at, and the log is read in chunks of
/// <see cref="TieringOptions.ReadChunkBytes"/> kept in a bounded least-recently-used cache, the next
/// chunk always fetched ahead, so a consumer catching up finds its next fetch in memory.
/// </summary>
/// <remarks>Thread-safe. A chunk being fetched is shared by every reader that wants it.</remarks>
internal sealed class RemoteLogReader(IRemoteSegmentStore store, TieringOptions options, TieringMetrics? metrics, TimeProvider time)
{
    private readonly LruCache<(RemoteSegmentId, long), Task<byte[]>> _chunks = new(options.ReadCacheChunks);
    private readonly LruCache<RemoteSegmentId, Task<OffsetIndex>> _indexes = new(options.ReadCacheChunks * 4);
    private readonly LruCache<RemoteSegmentId, Task<TimeIndex>> _timeIndexes = new(options.ReadCacheChunks * 4);
    private readonly ByteRateLimiter _readRate = new(options.MaxReadBytesPerSecond, time);

    /// <summary>
    /// Batches from <paramref name="offset"/> on in <paramref name="segment"/> (a finished copy holding
    /// it): at most <paramref name="maxBytes"/>, but at least one whole batch.
    /// </summary>
    public async Task<byte[]> ReadAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        var index = await _indexes.GetOrAdd(id, () => LoadIndexAsync(id, segment, cancellationToken)).ConfigureAwait(false);

        // First find the byte range of the batches to return by walking their headers, then copy it out once.
        var position = (long)index.Lookup(offset).Position;
        long first = -1;
        var end = position;
        while (end < segment.SizeInBytes)
        {
            var header = await HeaderAtAsync(id, segment, end, cancellationToken).ConfigureAwait(false);
            if (header.NextOffset <= offset)
            {
                position = end += header.SizeInBytes;
                continue;
            }

            if (first >= 0 && end + header.SizeInBytes - first > maxBytes)
            {
                break;
            }

            first = first < 0 ? end : first;
            end += header.SizeInBytes;
        }

        if (first < 0)
        {
            return [];
        }

        var records = new byte[end - first];
        await ReadExactlyAsync(id, segment, first, records, cancellationToken).ConfigureAwait(false);
        return records;
    }

    /// <summary>The batch header at <paramref name="position"/>, checked to lie inside the segment.</summary>
    private async ValueTask<(long NextOffset, int SizeInBytes)> HeaderAtAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long position, CancellationToken cancellationToken)
    {
        var bytes = new byte[RecordBatchLayout.HeaderSize];
        await ReadExactlyAsync(id, segment, position, bytes, cancellationToken).ConfigureAwait(false);
        var header = new RecordBatchHeader(bytes);
        var size = header.SizeInBytes;
        if (size < RecordBatchLayout.HeaderSize || position + size > segment.SizeInBytes)
        {
            throw new OrlogException(ErrorCode.CorruptMessage, $"Remote segment {id} has a damaged batch header at byte {position}.");
        }

        return (header.NextOffset, size);
    }

    /// <summary>
    /// The first record of the segment at or after <paramref name="timestamp"/> (Kafka's ListOffsets
    /// by time): the remote time index narrows the scan, then batches are read until one has a
    /// record that new; null when the segment has none.
    /// </summary>
    public async Task<(long Offset, long Timestamp)?> FindOffsetByTimestampAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long timestamp, CancellationToken cancellationToken)
    {
        var timeIndex = await _timeIndexes.GetOrAdd(id, () => LoadTimeIndexAsync(id, segment, cancellationToken)).ConfigureAwait(false);
        var offset = timeIndex.LookupScanStart(timestamp);
        while (offset <= segment.LastOffset)
        {
            var batches = await ReadAsync(id, segment, offset, options.ReadChunkBytes, cancellationToken).ConfigureAwait(false);
            if (batches.Length == 0)
            {
                return null;
            }

            for (var at = 0; at < batches.Length;)
            {
                var header = new RecordBatchHeader(batches.AsSpan(at));
                if (header.MaxTimestamp >= timestamp && FirstRecordAtOrAfter(batches.AsSpan(at, header.SizeInBytes), timestamp, offset) is { } found)
                {
                    return found;
                }

                offset = header.NextOffset;
                at += header.SizeInBytes;
            }
        }

        return null;
    }

    private static (long Offset, long Timestamp)? FirstRecordAtOrAfter(ReadOnlySpan<byte> batch, long timestamp, long fromOffset)
    {
        using var reader = new RecordBatchReader(batch);
        foreach (var record in reader)
        {
            if (record.Timestamp >= timestamp && record.Offset >= fromOffset)
            {
                return (record.Offset, record.Timestamp);
            }
        }

        return null;
    }

    private async Task<OffsetIndex> LoadIndexAsync(RemoteSegmentId id, RemoteSegmentEntry segment, CancellationToken cancellationToken) =>
        OffsetIndex.TryParse(await ReadWholeAsync(id, RemoteFileKind.OffsetIndex, cancellationToken).ConfigureAwait(false), segment.BaseOffset, segment.SizeInBytes, out var index, out var problem)
            ? index
            : throw new OrlogException(ErrorCode.KafkaStorageError, $"The remote offset index of {id} is damaged ({problem}).");

    private async Task<TimeIndex> LoadTimeIndexAsync(RemoteSegmentId id, RemoteSegmentEntry segment, CancellationToken cancellationToken) =>
        TimeIndex.TryParse(await ReadWholeAsync(id, RemoteFileKind.TimeIndex, cancellationToken).ConfigureAwait(false), segment.BaseOffset, out var index, out var problem)
            ? index
            : throw new OrlogException(ErrorCode.KafkaStorageError, $"The remote time index of {id} is damaged ({problem}).");

    /// <summary>A whole small remote file (an index).</summary>
    private async Task<byte[]> ReadWholeAsync(RemoteSegmentId id, RemoteFileKind kind, CancellationToken cancellationToken)
    {
        using var file = new MemoryStream();
        var buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = await store.ReadAsync(id, kind, position, buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            file.Write(buffer, 0, read);
            position += read;
        }

        return file.ToArray();
    }

    /// <summary>Fills <paramref name="destination"/> from the segment's log at <paramref name="position"/>, chunk by chunk.</summary>
    private async Task ReadExactlyAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long position, byte[] destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var at = position + filled;
            var chunkIndex = at / options.ReadChunkBytes;
            var chunk = await ChunkAsync(id, segment, chunkIndex, cancellationToken).ConfigureAwait(false);
            var offsetInChunk = (int)(at - (chunkIndex * options.ReadChunkBytes));
            var count = Math.Min(destination.Length - filled, chunk.Length - offsetInChunk);
            if (count <= 0)
            {
                throw new OrlogException(ErrorCode.KafkaStorageError, $"Remote segment {id} ends at byte {at}, before its manifest says ({segment.SizeInBytes}).");
            }

            chunk.AsSpan(offsetInChunk, count).CopyTo(destination.AsSpan(filled));
            filled += count;
        }
    }

    /// <summary>A chunk of the segment's log, from the cache or the store; the next chunk is fetched ahead in the background, for a reader catching up.</summary>
    private Task<byte[]> ChunkAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long chunkIndex, CancellationToken cancellationToken)
    {
        var chunk = _chunks.GetOrAdd((id, chunkIndex), () => LoadChunkAsync(id, segment, chunkIndex, cancellationToken));
        var next = chunkIndex + 1;
        if (next * options.ReadChunkBytes < segment.SizeInBytes)
        {
            _ = _chunks.GetOrAdd((id, next), () => LoadChunkAsync(id, segment, next, CancellationToken.None));
        }

        return chunk;
    }

    private async Task<byte[]> LoadChunkAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long chunkIndex, CancellationToken cancellationToken)
    {
        var start = chunkIndex * options.ReadChunkBytes;
        var length = (int)Math.Min(options.ReadChunkBytes, segment.SizeInBytes - start);
        var chunk = new byte[length];
        await _readRate.WaitAsync(length, cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var filled = 0;
        while (filled < length)
        {
            var read = await store.ReadAsync(id, RemoteFileKind.Log, start + filled, chunk.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        metrics?.Read(id.Partition.Topic, filled, time.GetElapsedTime(started));
        return filled == length ? chunk : chunk[..filled];
    }
}
