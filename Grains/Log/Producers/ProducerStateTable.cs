using Orlog.Errors;
using Orlog.Records;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Log.Producers;

/// <summary>
/// What each idempotent producer last wrote to a partition (Kafka's producer state): its epoch and its
/// last few batches' sequence numbers and offsets. A batch sent again after a retry is recognised and
/// answered with the offsets it got the first time, and a gap in the sequence is refused, so a retry —
/// after a timeout, or after a failover to a follower that kept the same state — never writes twice.
/// </summary>
/// <remarks>Not thread-safe: the log calls it under its lock.</remarks>
internal sealed class ProducerStateTable
{
    /// <summary>Batches remembered per producer (Kafka keeps 5, one batch per request; a request here carries up to 32).</summary>
    public const int CachedBatches = IdempotenceLimits.RememberedBatches;

    private readonly Dictionary<long, ProducerState> _producers = [];

    public int Count => _producers.Count;

    /// <summary>
    /// Checks a produce request's batches (one producer's) against what that producer wrote before: returns the
    /// leading batches it already wrote (all of them for a plain retry; some when an earlier attempt reached a
    /// leader that stored part of the request and then lost leadership), or null when they are all new and follow
    /// on from it (or come from a producer without an id, or one not seen).
    /// </summary>
    /// <exception cref="OrlogException">INVALID_PRODUCER_EPOCH from an older epoch; OUT_OF_ORDER_SEQUENCE_NUMBER for a gap.</exception>
    public StoredBatches? FindStored(ReadOnlySpan<byte> batches)
    {
        var first = new RecordBatchHeader(batches);
        if (first.ProducerId < 0 || !_producers.TryGetValue(first.ProducerId, out var state))
        {
            return null;
        }

        if (first.ProducerEpoch < state.Epoch)
        {
            throw new OrlogException(ErrorCode.InvalidProducerEpoch, $"Producer {first.ProducerId} wrote at epoch {state.Epoch}; epoch {first.ProducerEpoch} is stale.");
        }

        if (first.ProducerEpoch > state.Epoch)
        {
            return null;
        }

        // The common case, a new request following on: no cached batch can start there.
        if (first.BaseSequence == state.LastSequence + 1)
        {
            return null;
        }

        if (state.Find(first.BaseSequence) is not { } cached)
        {
            return first.BaseSequence == state.LastSequence + 1
                ? null
                : throw new OrlogException(ErrorCode.OutOfOrderSequenceNumber, $"Producer {first.ProducerId} sent sequence {first.BaseSequence}; the partition expects {state.LastSequence + 1}.");
        }

        var baseOffsets = new List<long> { cached.FirstOffset };
        var lastOffset = cached.LastOffset;
        var at = first.SizeInBytes;
        while (at < batches.Length)
        {
            var header = new RecordBatchHeader(batches[at..]);
            if (state.Find(header.BaseSequence) is not { } stored)
            {
                if (header.BaseSequence != state.LastSequence + 1)
                {
                    throw new OrlogException(ErrorCode.OutOfOrderSequenceNumber, $"Producer {first.ProducerId} resent sequence {first.BaseSequence} and then sent {header.BaseSequence}; the partition expects {state.LastSequence + 1}.");
                }

                break;
            }

            baseOffsets.Add(stored.FirstOffset);
            lastOffset = stored.LastOffset;
            at += header.SizeInBytes;
        }

        return new StoredBatches(at, [.. baseOffsets], lastOffset);
    }

    /// <summary>Remembers the producer batches among <paramref name="batches"/>, which carry their offsets; returns the offset after the last.</summary>
    public long Record(ReadOnlySpan<byte> batches)
    {
        var next = -1L;
        for (var at = 0; at < batches.Length;)
        {
            var header = new RecordBatchHeader(batches[at..]);
            at += header.SizeInBytes;
            next = header.NextOffset;
            if (header.ProducerId < 0)
            {
                continue;
            }

            if (!_producers.TryGetValue(header.ProducerId, out var state) || header.ProducerEpoch > state.Epoch)
            {
                state = _producers[header.ProducerId] = new ProducerState(header.ProducerEpoch);
            }

            state.Add(new ProducerBatchEntry(header.BaseSequence, header.BaseSequence + header.LastOffsetDelta, header.BaseOffset, header.LastOffset));
        }

        return next;
    }

    /// <summary>Forgets batches at or after <paramref name="endOffset"/> (the log was truncated there), and producers left with none.</summary>
    public void TruncateFromEnd(long endOffset)
    {
        List<long>? emptied = null;
        foreach (var (producerId, state) in _producers)
        {
            if (state.TruncateFromEnd(endOffset))
            {
                (emptied ??= []).Add(producerId);
            }
        }

        emptied?.ForEach(id => _producers.Remove(id));
    }

    public void Clear() => _producers.Clear();

    private sealed class ProducerState(short epoch)
    {
        private readonly List<ProducerBatchEntry> _batches = new(CachedBatches);

        public short Epoch { get; } = epoch;

        public int LastSequence => _batches[^1].LastSequence;

        public ProducerBatchEntry? Find(int firstSequence)
        {
            foreach (var batch in _batches)
            {
                if (batch.FirstSequence == firstSequence)
                {
                    return batch;
                }
            }

            return null;
        }

        public void Add(ProducerBatchEntry batch)
        {
            if (_batches.Count == CachedBatches)
            {
                _batches.RemoveAt(0);
            }

            _batches.Add(batch);
        }

        /// <summary>True when no batch is left.</summary>
        public bool TruncateFromEnd(long endOffset)
        {
            _batches.RemoveAll(b => b.LastOffset >= endOffset);
            return _batches.Count == 0;
        }
    }

    /// <summary>The first batches of a request, <paramref name="Bytes"/> long, that were stored before, with each one's base offset.</summary>
    public sealed record StoredBatches(int Bytes, long[] BaseOffsets, long LastOffset);

    private readonly record struct ProducerBatchEntry(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset);
}
