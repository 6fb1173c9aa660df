namespace Orlog.Log;

/// <summary>What the tiering service needs of a log: its closed segments, durable before they are copied.</summary>
public sealed partial class PartitionLog
{
    /// <summary>
    /// The closed, non-empty segments whose last offset is above <paramref name="afterOffset"/>, oldest
    /// first, fsynced first so that a copy never holds data a crash could take back from the local log.
    /// </summary>
    public IReadOnlyList<ClosedSegment> ClosedSegmentsAfter(long afterOffset)
    {
        var closed = new List<ClosedSegment>();
        lock (_lock)
        {
            ThrowIfUnusable();
            var segments = _segments;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                var segment = segments[i];
                if (segment.IsEmpty || segment.NextOffset - 1 <= afterOffset)
                {
                    continue;
                }

                closed.Add(new ClosedSegment(
                    segment.BaseOffset,
                    segment.NextOffset - 1,
                    segment.GetLargestTimestamp(),
                    segment.Size,
                    EpochAt(segment.NextOffset - 1),
                    segment.LogPath,
                    SegmentFileNames.IndexPath(_directory, segment.BaseOffset),
                    SegmentFileNames.TimeIndexPath(_directory, segment.BaseOffset)));
            }
        }

        if (closed.Count > 0 && RecoveryPoint <= closed[^1].LastOffset)
        {
            Flush();
        }

        return closed;
    }

    /// <summary>The leader epoch the batch at <paramref name="offset"/> was written in (-1 when none is known). Callers hold the lock.</summary>
    private int EpochAt(long offset)
    {
        var epoch = -1;
        foreach (var entry in _epochs.Entries)
        {
            if (entry.StartOffset > offset)
            {
                break;
            }

            epoch = entry.Epoch;
        }

        return epoch;
    }
}
