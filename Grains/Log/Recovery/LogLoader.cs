using Orlog.Log.Epochs;
using Orlog.Log.Files;

namespace Orlog.Log.Recovery;

/// <summary>
/// Opens the segments of a partition directory and, after an unclean stop, recovers them:
/// every segment from the recovery point on is scanned batch by batch (sizes, magic, CRC,
/// contiguous offsets); the first bad or torn batch and everything after it are cut off, and
/// indexes are rebuilt. Before the recovery point, indexes are trusted only if their checksums
/// hold, and rebuilt otherwise.
/// </summary>
internal static class LogLoader
{
    public static OpenedSegments Load(string directory, LogConfig config, LogFileFactory files)
    {
        System.IO.Directory.CreateDirectory(directory);
        RemoveLeftovers(directory);
        var hasCheckpoint = PartitionCheckpoint.TryRead(directory, out var checkpoint);
        var clean = hasCheckpoint && checkpoint.CleanShutdown;
        var recoveryPoint = hasCheckpoint ? checkpoint.RecoveryPoint : 0;
        var baseOffsets = SegmentFileNames.ListBaseOffsets(directory);
        if (baseOffsets.Count == 0)
        {
            var start = hasCheckpoint ? checkpoint.LogStartOffset : 0;
            var fresh = LogSegment.Create(directory, start, config.IndexIntervalBytes, files);
            var emptyReport = new RecoveryReport(clean, [], 0, 0, 0, start, start);
            return new OpenedSegments(files, [fresh], start, start, LoadEpochs(directory, [fresh]), emptyReport);
        }

        var segments = new List<LogSegment>(baseOffsets.Count);
        for (var i = 0; i < baseOffsets.Count - 1; i++)
        {
            segments.Add(LogSegment.OpenClosed(directory, baseOffsets[i], baseOffsets[i + 1], config.IndexIntervalBytes, files));
        }

        var scanned = new List<SegmentRecovery>();
        var (damaged, deleted, truncated) = clean ? default : RecoverClosedSegments(segments, recoveryPoint, scanned);
        if (!damaged)
        {
            var last = LogSegment.OpenActive(directory, baseOffsets[^1], config.IndexIntervalBytes, files, verify: !clean, out var lastRecovery);
            if (!clean || lastRecovery.TruncatedBytes > 0)
            {
                scanned.Add(lastRecovery);
                truncated += lastRecovery.TruncatedBytes;
            }

            segments.Add(last);
        }
        else
        {
            truncated += new FileInfo(SegmentFileNames.LogPath(directory, baseOffsets[^1])).Length;
            deleted++;
            DeleteSegmentFiles(directory, baseOffsets[^1]);
        }

        var logEnd = segments[^1].NextOffset;
        var logStart = Math.Clamp(hasCheckpoint ? checkpoint.LogStartOffset : segments[0].BaseOffset, segments[0].BaseOffset, logEnd);
        var epochs = LoadEpochs(directory, segments);
        epochs.TruncateFromEnd(logEnd);
        epochs.TruncateFromStart(logStart);
        var rebuilt = segments.Sum(s => s.IndexRebuilds);
        var report = new RecoveryReport(clean, scanned, deleted, truncated, rebuilt, logStart, logEnd);
        return new OpenedSegments(files, [.. segments], logStart, clean ? logEnd : Math.Min(recoveryPoint, logEnd), epochs, report);
    }

    /// <summary>
    /// Scans the closed segments past the recovery point. A damaged one is cut after its last
    /// whole batch and becomes the active segment; every segment after it is deleted.
    /// </summary>
    private static (bool Damaged, int Deleted, long Truncated) RecoverClosedSegments(List<LogSegment> segments, long recoveryPoint, List<SegmentRecovery> scanned)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var expectedNext = segment.NextOffset;
            if (expectedNext <= recoveryPoint)
            {
                continue;
            }

            var recovery = segment.Recover();
            scanned.Add(recovery);
            if (recovery.TruncatedBytes == 0 && segment.NextOffset == expectedNext)
            {
                segment.Close();
                continue;
            }

            long truncated = recovery.TruncatedBytes;
            var deleted = 0;
            for (var j = segments.Count - 1; j > i; j--)
            {
                truncated += segments[j].Size;
                segments[j].Delete();
                segments.RemoveAt(j);
                deleted++;
            }

            segment.Reopen();
            return (true, deleted, truncated);
        }

        return (false, 0, 0);
    }

    private static LeaderEpochCache LoadEpochs(string directory, IReadOnlyList<LogSegment> segments) =>
        LeaderEpochCache.TryLoad(directory, out var cache) ? cache : LeaderEpochCache.Rebuild(directory, EpochsInLog(segments));

    private static IEnumerable<EpochEntry> EpochsInLog(IReadOnlyList<LogSegment> segments)
    {
        foreach (var segment in segments)
        {
            foreach (var epoch in segment.ScanEpochs())
            {
                yield return epoch;
            }
        }
    }

    private static void RemoveLeftovers(string directory)
    {
        foreach (var temp in System.IO.Directory.EnumerateFiles(directory, "*" + AtomicFile.TempSuffix))
        {
            File.Delete(temp);
        }
    }

    private static void DeleteSegmentFiles(string directory, long baseOffset)
    {
        File.Delete(SegmentFileNames.LogPath(directory, baseOffset));
        File.Delete(SegmentFileNames.IndexPath(directory, baseOffset));
        File.Delete(SegmentFileNames.TimeIndexPath(directory, baseOffset));
    }
}
