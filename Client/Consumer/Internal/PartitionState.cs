namespace Orlog.Client;

/// <summary>
/// What the consumer knows of one assigned partition: its fetcher, the chunk being handed out,
/// the records decoded from its current batch, and the position (next offset to hand out).
/// </summary>
/// <remarks>Used only from the consumer's thread; the fetcher talks to it through its channel.</remarks>
internal sealed class PartitionState<TKey, TValue>(PartitionFetcher fetcher, BatchDecoder<TKey, TValue> decoder, long position)
{
    private readonly Queue<DecodedRecord<TKey, TValue>> _decoded = new();
    private FetchedChunk? _chunk;
    private int _chunkPosition;

    public PartitionFetcher Fetcher => fetcher;

    public TopicPartition TopicPartition => fetcher.TopicPartition;

    /// <summary>The next offset to hand out; negative (Beginning/End) until the fetcher resolved it.</summary>
    public long Position { get; private set; } = position;

    /// <summary>The fetcher raised an error (already reported); nothing more comes from this partition until a Seek.</summary>
    public bool Failed { get; private set; }

    public long KnownPosition => Position >= 0 ? Position : Fetcher.ResolvedStart;

    /// <summary>Takes the next record, decoding the next batch or taking the next fetched chunk as needed.</summary>
    /// <returns>False when nothing is available right now.</returns>
    /// <exception cref="ConsumeException">The partition failed, or a batch is corrupt.</exception>
    public bool TryTake(out ConsumeResult<TKey, TValue>? result)
    {
        result = null;
        while (!Failed)
        {
            if (_decoded.TryDequeue(out var next))
            {
                Position = next.Offset + 1;
                if (next.Error is not null)
                {
                    throw next.Error;
                }

                result = next.Result;
                return true;
            }

            if (_chunk is not null)
            {
                if (decoder.DecodeNext(_chunk.Records, ref _chunkPosition, Position, _decoded))
                {
                    continue;
                }

                // Chunk used up: past any control batches or records below the position at its end.
                Position = Math.Max(Position, _chunk.NextOffset);
                _chunk = null;
            }

            if (!fetcher.Chunks.TryRead(out var chunk))
            {
                return false;
            }

            if (chunk.Error is not null)
            {
                Failed = true;
                throw new ConsumeException(new TopicPartitionOffset(TopicPartition, chunk.FetchOffset), chunk.Error);
            }

            // A chunk from elsewhere than the position means the fetcher resolved Beginning/End or reset an out-of-range offset.
            if (chunk.FetchOffset != Position)
            {
                Position = chunk.FetchOffset;
            }

            _chunk = chunk;
            _chunkPosition = 0;
        }

        return false;
    }
}
