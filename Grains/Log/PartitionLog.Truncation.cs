using Orlog.Errors;

namespace Orlog.Log;

/// <summary>Removing data: from the end (truncation) and from the start (DeleteRecords, retention).</summary>
public sealed partial class PartitionLog
{
    /// <summary>
    /// Removes every batch whose last offset is at or above <paramref name="offset"/>, as a
    /// follower does before it follows a new leader. The log then ends at the base offset of
    /// the first batch removed (a batch is never cut in two), and the log start offset never
    /// passes it. Returns the new log end offset.
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">The offset is below the log start offset.</exception>
    public long TruncateTo(long offset)
    {
        lock (_flushLock)
        {
            lock (_lock)
            {
                ThrowIfUnusable();
                if (offset < _logStartOffset)
                {
                    throw new OffsetOutOfRangeException(offset, _logStartOffset, _logEndOffset);
                }

                if (offset >= _logEndOffset)
                {
                    return _logEndOffset;
                }

                var segments = _segments;
                var keep = FloorSegment(segments, offset);
                try
                {
                    for (var i = segments.Length - 1; i > keep; i--)
                    {
                        segments[i].Delete();
                    }

                    segments[keep].TruncateTo(offset);
                }
                catch (IOException error)
                {
                    throw Latch(error);
                }

                Volatile.Write(ref _segments, segments[..(keep + 1)]);
                Volatile.Write(ref _logEndOffset, segments[keep].NextOffset);

                // A log start inside the removed batch would pass the new end: the log is then empty from its end.
                Volatile.Write(ref _logStartOffset, Math.Min(_logStartOffset, _logEndOffset));
                _recoveryPoint = Math.Min(_recoveryPoint, _logEndOffset);
                Volatile.Write(ref _highWatermark, Math.Min(_highWatermark, _logEndOffset));
                Durability.Reset(_logEndOffset);
                _epochs.TruncateFromEnd(_logEndOffset);
                _producers.TruncateFromEnd(_logEndOffset);
                WriteCheckpoint(cleanShutdown: false);
                LogTruncated(offset, _logEndOffset);
                return _logEndOffset;
            }
        }
    }

    /// <summary>
    /// Kafka's DeleteRecords: moves the log start offset up to <paramref name="offset"/> and
    /// deletes the closed segments wholly below it. Durable at once (the checkpoint is written).
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">The offset is past the log end.</exception>
    public void DeleteBefore(long offset)
    {
        lock (_flushLock)
        {
            lock (_lock)
            {
                ThrowIfUnusable();
                if (offset < 0 || offset > _logEndOffset)
                {
                    throw new OffsetOutOfRangeException(offset, _logStartOffset, _logEndOffset);
                }

                if (offset <= _logStartOffset)
                {
                    return;
                }

                Volatile.Write(ref _logStartOffset, offset);
                DeleteSegmentsWhile(segment => segment.NextOffset <= offset, "delete-records");
                _epochs.TruncateFromStart(offset);
                WriteCheckpoint(cleanShutdown: false);
            }
        }
    }

    /// <summary>
    /// Deletes the oldest closed segments that the local retention no longer keeps: <c>retention.ms</c>
    /// (newest record older than that) and <c>retention.bytes</c> (log larger than that), or with remote
    /// storage <c>local.retention.ms</c> / <c>local.retention.bytes</c> — and then only segments already
    /// copied to the remote tier (up to <see cref="RemoteCopiedOffset"/>). Returns how many.
    /// </summary>
    public int ApplyRetention()
    {
        lock (_flushLock)
        {
            lock (_lock)
            {
                if (_closed || _failure is not null)
                {
                    return 0;
                }

                var copied = Config.RemoteStorageEnable ? RemoteCopiedOffset : long.MaxValue;
                var deleted = 0;
                if (Config.EffectiveLocalRetentionMs >= 0)
                {
                    var cutoff = _time.GetUtcNow().ToUnixTimeMilliseconds() - Config.EffectiveLocalRetentionMs;
                    deleted += DeleteSegmentsWhile(segment => segment.NextOffset - 1 <= copied && segment.GetLargestTimestamp() < cutoff, "retention.ms");
                }

                if (Config.EffectiveLocalRetentionBytes >= 0)
                {
                    var excess = Size - Config.EffectiveLocalRetentionBytes;
                    deleted += DeleteSegmentsWhile(
                        segment =>
                        {
                            if (excess < segment.Size || segment.NextOffset - 1 > copied)
                            {
                                return false;
                            }

                            excess -= segment.Size;
                            return true;
                        },
                        "retention.bytes");
                }

                return deleted;
            }
        }
    }

    /// <summary>
    /// The last offset the remote tier holds a finished copy of (-1: none). Set by the tiering
    /// service; with remote storage, local retention deletes nothing above it.
    /// </summary>
    public long RemoteCopiedOffset
    {
        get => Volatile.Read(ref _remoteCopiedOffset);
        set => Volatile.Write(ref _remoteCopiedOffset, value);
    }

    /// <summary>
    /// Deletes closed segments from the oldest while <paramref name="predicate"/> holds, moves the
    /// log start offset past them, and persists it. Callers hold both locks.
    /// </summary>
    private int DeleteSegmentsWhile(Func<LogSegment, bool> predicate, string reason)
    {
        var segments = _segments;
        var count = 0;
        while (count < segments.Length - 1 && predicate(segments[count]))
        {
            count++;
        }

        if (count == 0)
        {
            return 0;
        }

        try
        {
            for (var i = 0; i < count; i++)
            {
                segments[i].Delete();
            }
        }
        catch (IOException error)
        {
            throw Latch(error);
        }

        Volatile.Write(ref _segments, segments[count..]);
        Volatile.Write(ref _logStartOffset, Math.Max(_logStartOffset, segments[count].BaseOffset));
        _epochs.TruncateFromStart(_logStartOffset);
        WriteCheckpoint(cleanShutdown: false);
        LogSegmentsDeleted(count, reason, _logStartOffset);
        return count;
    }
}
