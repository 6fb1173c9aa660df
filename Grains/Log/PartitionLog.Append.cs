using Orlog.Records;

namespace Orlog.Log;

/// <summary>Appends and segment rolls.</summary>
public sealed partial class PartitionLog
{
    /// <summary>
    /// Validates <paramref name="batches"/> whole (and an idempotent producer's sequence numbers: a batch it
    /// already wrote is not written again, the result names the offsets it got then), then assigns them the next offsets, stamps
    /// <paramref name="leaderEpoch"/> (and the broker time under <c>message.timestamp.type=LogAppendTime</c>)
    /// in place, and appends them. Returns once the OS has the bytes; under the every-batch flush
    /// policy, once they are fsynced. Await <see cref="Flush.DurabilityTracker.WaitAsync"/> with
    /// <see cref="LogAppendInfo.LastOffset"/> to ack on durability under any policy.
    /// </summary>
    /// <param name="batches">One or more v2 batches back to back. Modified in place; read only during the call.</param>
    /// <exception cref="Errors.OrlogException">
    /// CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, INVALID_RECORD, UNSUPPORTED_COMPRESSION_TYPE,
    /// OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH (nothing stored),
    /// FENCED_LEADER_EPOCH (an epoch older than the log's, or than one it was fenced at), KAFKA_STORAGE_ERROR (the disk failed).
    /// </exception>
    public LogAppendInfo Append(Span<byte> batches, int leaderEpoch = 0)
    {
        var summary = RecordBatchValidator.Validate(batches, Config.MaxMessageBytes);
        LogAppendInfo info;
        lock (_lock)
        {
            ThrowIfUnusable();
            ThrowIfFenced(leaderEpoch);
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var stored = _producers.FindStored(batches);
            if (stored is not null && stored.Bytes == batches.Length)
            {
                return new LogAppendInfo(stored.BaseOffsets[0], stored.LastOffset, now, _logStartOffset, 0);
            }

            if (stored is not null)
            {
                batches = batches[stored.Bytes..];
                summary = RecordBatchValidator.Validate(batches, Config.MaxMessageBytes);
            }

            var firstOffset = _logEndOffset;
            _epochs.Assign(leaderEpoch, firstOffset);
            var active = RollIfNeeded(summary, now);
            var nextOffset = Stamp(batches, firstOffset, leaderEpoch, now);
            info = AppendToActive(active, batches, firstOffset, nextOffset, now, summary.BatchCount);
            _producers.Record(batches);
            if (stored is not null)
            {
                info = info with { FirstOffset = stored.BaseOffsets[0], BatchOffsets = [.. stored.BaseOffsets, .. BaseOffsets(batches)] };
            }
        }

        _flushPolicy.OnAppended();
        return info;
    }

    /// <summary>Writes batches that carry their offsets to the active segment and moves the log end past them; callers hold the lock.</summary>
    private LogAppendInfo AppendToActive(LogSegment active, ReadOnlySpan<byte> batches, long firstOffset, long nextOffset, long now, int batchCount)
    {
        try
        {
            active.Append(batches, now);
        }
        catch (IOException error)
        {
            throw Latch(error);
        }

        Volatile.Write(ref _logEndOffset, nextOffset);
        return new LogAppendInfo(firstOffset, nextOffset - 1, now, _logStartOffset, batchCount);
    }

    /// <summary>Sets base offsets and the leader epoch of each batch; returns the offset after the last.</summary>
    private long Stamp(Span<byte> batches, long firstOffset, int leaderEpoch, long now)
    {
        var next = firstOffset;
        var logAppendTime = Config.MessageTimestampType == TimestampType.LogAppendTime;
        var at = 0;
        while (at < batches.Length)
        {
            var size = new RecordBatchHeader(batches[at..]).SizeInBytes;
            var batch = batches.Slice(at, size);
            RecordBatch.StampBaseOffset(batch, next);
            RecordBatch.StampPartitionLeaderEpoch(batch, leaderEpoch);
            if (logAppendTime)
            {
                RecordBatch.StampLogAppendTime(batch, now);
            }

            next = new RecordBatchHeader(batch).NextOffset;
            at += size;
        }

        return next;
    }

    private static long[] BaseOffsets(ReadOnlySpan<byte> batches)
    {
        var offsets = new List<long>();
        for (var at = 0; at < batches.Length;)
        {
            var header = new RecordBatchHeader(batches[at..]);
            offsets.Add(header.BaseOffset);
            at += header.SizeInBytes;
        }

        return [.. offsets];
    }

    /// <summary>
    /// Rolls to a new segment when the active one would pass <c>segment.bytes</c>, has aged past
    /// <c>segment.ms</c>, or its 32-bit relative offsets would overflow. The old segment is
    /// sealed and fsynced in the background.
    /// </summary>
    private LogSegment RollIfNeeded(in RecordBatchSetSummary incoming, long now)
    {
        var active = _segments[^1];
        if (active.IsEmpty)
        {
            return active;
        }

        var full = active.Size + incoming.SizeInBytes > Config.SegmentBytes;
        var old = active.RollStartTime >= 0 && now - active.RollStartTime >= Config.SegmentMs;
        var offsetsOverflow = _logEndOffset + incoming.RecordCount - active.BaseOffset > int.MaxValue;
        if (!full && !old && !offsetsOverflow)
        {
            return active;
        }

        try
        {
            active.Close();
            var next = LogSegment.Create(_directory, _logEndOffset, Config.IndexIntervalBytes, _files);
            Volatile.Write(ref _segments, [.. _segments, next]);
            LogRolled(next.BaseOffset, full ? "segment.bytes" : old ? "segment.ms" : "offset range");
            ThreadPool.UnsafeQueueUserWorkItem(static log => log.FlushInBackground(), this, preferLocal: false);
            return next;
        }
        catch (IOException error)
        {
            throw Latch(error);
        }
    }
}
