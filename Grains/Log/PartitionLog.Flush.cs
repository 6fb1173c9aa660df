namespace Orlog.Log;

/// <summary>Forcing data to disk.</summary>
public sealed partial class PartitionLog
{
    /// <summary>
    /// fsyncs every segment holding data past the recovery point, then advances the recovery
    /// point and the durable mark to the log end seen when the flush began. Appends go on
    /// meanwhile; what they add is covered by the next flush.
    /// </summary>
    /// <exception cref="Errors.OrlogException">KAFKA_STORAGE_ERROR: the fsync failed; the error is latched.</exception>
    public void Flush()
    {
        lock (_flushLock)
        {
            LogSegment[] segments;
            long end;
            lock (_lock)
            {
                ThrowIfUnusable();
                segments = _segments;
                end = _logEndOffset;
            }

            if (end <= _recoveryPoint)
            {
                Durability.Advance(end);
                return;
            }

            try
            {
                for (var i = FloorSegment(segments, _recoveryPoint); i < segments.Length && segments[i].BaseOffset < end; i++)
                {
                    segments[i].Flush();
                }
            }
            catch (IOException error)
            {
                throw Latch(error);
            }

            Volatile.Write(ref _recoveryPoint, end);
            Durability.Advance(end);
        }
    }

    /// <summary>Under <c>flush.policy=os</c>: what the OS has counts as durable.</summary>
    public void MarkDurableWithoutFlush() => Durability.Advance(LogEndOffset);

    /// <summary>Flushes a rolled segment off the append path; a failure is latched and logged by <see cref="Flush"/>.</summary>
    private void FlushInBackground()
    {
        try
        {
            Flush();
        }
        catch (Errors.OrlogException)
        {
            // Latched and logged; the next append reports it to its caller.
        }
        catch (ObjectDisposedException)
        {
            // The log closed first; its close flushed everything.
        }
    }
}
