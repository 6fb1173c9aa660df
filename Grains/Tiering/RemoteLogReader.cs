using Orlog.Errors;
using Orlog.Log.Index;
using Orlog.Records;

namespace Orlog.Tiering;

/// <summary>
/// Reads whole record batches from remote segments: the segment's offset index (fetched once and
/// kept) gives the byte position to start at, and the log is read in chunks of
/// <see cref="TieringOptions.ReadChunkBytes"/> kept in a bounded least-recently-used cache, so a
/// consumer catching up reads ahead and later fetches are served from memory.
/// </summary>
/// <remarks>Thread-safe. A chunk being fetched is shared by every reader that wants it.</remarks>
internal sealed class RemoteLogReader(IRemoteSegmentStore store, TieringOptions options, TieringMetrics? metrics, TimeProvider time)
{
    private readonly LruCache<(RemoteSegmentId, long), Task<byte[]>> _chunks = new(options.ReadCacheChunks);
    private readonly LruCache<RemoteSegmentId, Task<OffsetIndex>> _indexes = new(options.ReadCacheChunks * 4);

    /// <summary>
    /// Batches from <paramref name="offset"/> on in <paramref name="segment"/> (a finished copy holding
    /// it): at most <paramref name="maxBytes"/>, but at least one whole batch.
    /// </summary>
    public async Task<byte[]> ReadAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        var index = await _indexes.GetOrAdd(id, () => LoadIndexAsync(id, segment, cancellationToken)).ConfigureAwait(false);
        var position = (long)index.Lookup(offset).Position;
        var output = new List<byte>();
        var header = new byte[RecordBatchLayout.HeaderSize];
        while (position < segment.SizeInBytes)
        {
            await ReadExactlyAsync(id, segment, position, header, cancellationToken).ConfigureAwait(false);
            var batch = new RecordBatchHeader(header);
            var size = batch.SizeInBytes;
            if (size < RecordBatchLayout.HeaderSize || position + size > segment.SizeInBytes)
            {
                throw new OrlogException(ErrorCode.CorruptMessage, $"Remote segment {id} has a damaged batch header at byte {position}.");
            }

            if (batch.NextOffset > offset)
            {
                if (output.Count > 0 && output.Count + size > maxBytes)
                {
                    break;
                }

                var bytes = new byte[size];
                await ReadExactlyAsync(id, segment, position, bytes, cancellationToken).ConfigureAwait(false);
                output.AddRange(bytes);
            }

            position += size;
        }

        return [.. output];
    }

    private async Task<OffsetIndex> LoadIndexAsync(RemoteSegmentId id, RemoteSegmentEntry segment, CancellationToken cancellationToken)
    {
        using var file = new MemoryStream();
        var buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = await store.ReadAsync(id, RemoteFileKind.OffsetIndex, position, buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            file.Write(buffer, 0, read);
            position += read;
        }

        return OffsetIndex.TryParse(file.ToArray(), segment.BaseOffset, segment.SizeInBytes, out var index, out var problem)
            ? index
            : throw new OrlogException(ErrorCode.KafkaStorageError, $"The remote offset index of {id} is damaged ({problem}).");
    }

    /// <summary>Fills <paramref name="destination"/> from the segment's log at <paramref name="position"/>, chunk by chunk.</summary>
    private async Task ReadExactlyAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long position, byte[] destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var at = position + filled;
            var chunkIndex = at / options.ReadChunkBytes;
            var chunk = await _chunks.GetOrAdd((id, chunkIndex), () => LoadChunkAsync(id, segment, chunkIndex, cancellationToken)).ConfigureAwait(false);
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

    private async Task<byte[]> LoadChunkAsync(RemoteSegmentId id, RemoteSegmentEntry segment, long chunkIndex, CancellationToken cancellationToken)
    {
        var start = chunkIndex * options.ReadChunkBytes;
        var length = (int)Math.Min(options.ReadChunkBytes, segment.SizeInBytes - start);
        var chunk = new byte[length];
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
