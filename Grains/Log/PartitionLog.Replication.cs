using Orlog.Errors;
using Orlog.Records;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Log;

/// <summary>What replication needs of a log: leader epochs, fencing, follower appends, the high watermark.</summary>
public sealed partial class PartitionLog
{
    private int _fencedBelowEpoch;
    private long _highWatermark;
    private volatile bool _leads = true;

    /// <summary>
    /// Whether this broker leads the partition (a log on its own, outside replication, does). Only a leader
    /// copies segments to the remote tier; a follower takes the leader's copy progress instead.
    /// </summary>
    public bool Leads
    {
        get => _leads;
        set => _leads = value;
    }

    /// <summary>
    /// The offset below which every in-sync replica has the records (consumers read only below it). Kept
    /// in memory by the partition's leader or follower; never above the log end.
    /// </summary>
    public long HighWatermark
    {
        get => Math.Min(Volatile.Read(ref _highWatermark), LogEndOffset);
        set => Volatile.Write(ref _highWatermark, value);
    }

    /// <summary>The newest leader epoch that wrote to the log (-1: none yet).</summary>
    public int LatestEpoch
    {
        get
        {
            lock (_lock)
            {
                return _epochs.LatestEpoch;
            }
        }
    }

    /// <summary>
    /// Refuses appends from leader epochs older than <paramref name="epoch"/> from now on: the broker follows
    /// a newer leader, so a stale leader on this broker can no longer write here.
    /// </summary>
    public void Fence(int epoch)
    {
        lock (_lock)
        {
            _fencedBelowEpoch = Math.Max(_fencedBelowEpoch, epoch);
            _leads = false;
        }
    }

    /// <summary>
    /// This broker leads from <paramref name="epoch"/> on: fences older epochs and records that the epoch
    /// starts at the log end, so a follower can truncate by it even before the first append.
    /// </summary>
    /// <exception cref="OrlogException">FENCED_LEADER_EPOCH when the log already knows a newer epoch.</exception>
    public void BeginEpoch(int epoch)
    {
        lock (_lock)
        {
            ThrowIfFenced(epoch);
            _fencedBelowEpoch = epoch;
            _epochs.Assign(epoch, _logEndOffset);
            _leads = true;
        }
    }

    /// <summary>
    /// A follower's append: the leader's batches, already stamped with offsets and epochs, stored as they are.
    /// They must start at the log end and follow each other; their epochs extend the epoch checkpoint.
    /// </summary>
    /// <exception cref="OrlogException">
    /// CORRUPT_MESSAGE and the other validation errors (nothing stored), INVALID_REQUEST when the batches do not
    /// start at the log end or leave gaps, KAFKA_STORAGE_ERROR.
    /// </exception>
    public LogAppendInfo AppendAsFollower(ReadOnlySpan<byte> batches)
    {
        var summary = RecordBatchValidator.Validate(batches, int.MaxValue);
        LogAppendInfo info;
        lock (_lock)
        {
            ThrowIfUnusable();
            var firstOffset = _logEndOffset;
            var nextOffset = CheckContiguous(batches, firstOffset);
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var active = RollIfNeeded(summary, now);
            for (var at = 0; at < batches.Length;)
            {
                var header = new RecordBatchHeader(batches[at..]);
                _epochs.Assign(header.PartitionLeaderEpoch, header.BaseOffset);
                at += header.SizeInBytes;
            }

            info = AppendToActive(active, batches, firstOffset, nextOffset, now, summary.BatchCount);
            _producers.Record(batches);
        }

        _flushPolicy.OnAppended();
        return info;
    }

    /// <summary>
    /// Empties the log and restarts it at <paramref name="offset"/>: a follower too far behind the leader,
    /// whose next offset the leader no longer has locally, starts over at the leader's log start.
    /// </summary>
    public void TruncateFullyAndStartAt(long offset)
    {
        lock (_flushLock)
        {
            lock (_lock)
            {
                ThrowIfUnusable();
                var segments = _segments;
                try
                {
                    foreach (var segment in segments)
                    {
                        segment.Delete();
                    }

                    Volatile.Write(ref _segments, [LogSegment.Create(_directory, offset, Config.IndexIntervalBytes, _files)]);
                }
                catch (IOException error)
                {
                    throw Latch(error);
                }

                Volatile.Write(ref _logStartOffset, offset);
                Volatile.Write(ref _logEndOffset, offset);
                _recoveryPoint = offset;
                Volatile.Write(ref _highWatermark, offset);
                Durability.Reset(offset);
                _epochs.TruncateFromEnd(0);
                _producers.Clear();
                WriteCheckpoint(cleanShutdown: false);
                LogRestarted(offset);
            }
        }
    }

    /// <summary>Throws unless the batches start at <paramref name="firstOffset"/> and each starts where the one before ended; returns the offset after the last.</summary>
    private static long CheckContiguous(ReadOnlySpan<byte> batches, long firstOffset)
    {
        var next = firstOffset;
        for (var at = 0; at < batches.Length;)
        {
            var header = new RecordBatchHeader(batches[at..]);
            if (header.BaseOffset != next)
            {
                throw new OrlogException(ErrorCode.InvalidRequest, $"A replicated batch starts at offset {header.BaseOffset}; the log expects {next}.");
            }

            next = header.NextOffset;
            at += header.SizeInBytes;
        }

        return next;
    }

    private void ThrowIfFenced(int epoch)
    {
        if (epoch < _fencedBelowEpoch)
        {
            throw new OrlogException(ErrorCode.FencedLeaderEpoch, $"Leader epoch {epoch} is older than epoch {_fencedBelowEpoch} this broker has seen; this leader has been replaced.");
        }
    }
}
