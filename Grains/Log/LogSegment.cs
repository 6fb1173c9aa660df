using Orlog.Log.Files;
using Orlog.Log.Index;
using Orlog.Records;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Log;

/// <summary>
/// One segment of a partition log: a <c>.log</c> file of record batches stored back to back
/// exactly as appended, with a sparse <c>.index</c> (offset → position) and
/// <c>.timeindex</c> (timestamp → offset) held in memory and saved when the segment closes.
/// </summary>
/// <remarks>
/// Not thread-safe: <see cref="PartitionLog"/> serializes every call. The indexes of a closed
/// segment are loaded on first use and rebuilt from the log if missing or damaged.
/// </remarks>
public sealed partial class LogSegment : IDisposable
{
    /// <summary>The most a lookup reads at once while it scans forward from an index entry.</summary>
    private const int MaxLookupChunkBytes = 16 * 1024;

    /// <summary>Chunk read when a whole segment is scanned (recovery, index rebuild).</summary>
    private const int ScanChunkBytes = 1024 * 1024;

    private readonly ILogFile _log;
    private readonly string _directory;
    private readonly int _indexIntervalBytes;
    private OffsetIndex? _index;
    private TimeIndex? _timeIndex;
    private long _bytesSinceLastIndexEntry;

    /// <summary>A lookup scans at most one index interval, then needs the header of the batch it lands on.</summary>
    private static int LookupChunkBytes(int indexIntervalBytes) =>
        Math.Min(indexIntervalBytes + HeaderSize, MaxLookupChunkBytes);

    private LogSegment(ILogFile log, string directory, long baseOffset, int indexIntervalBytes)
    {
        _log = log;
        _directory = directory;
        BaseOffset = baseOffset;
        NextOffset = baseOffset;
        _indexIntervalBytes = indexIntervalBytes;
    }

    public long BaseOffset { get; }

    /// <summary>The offset after the last batch; <see cref="BaseOffset"/> while empty.</summary>
    public long NextOffset { get; private set; }

    public long Size => _log.Length;

    public bool IsEmpty => Size == 0;

    /// <summary>The largest batch max-timestamp in the segment, or -1 (needs the indexes loaded).</summary>
    public long MaxTimestamp { get; private set; } = -1;

    /// <summary>Wall-clock time (ms) from which <c>segment.ms</c> counts; set by the first append.</summary>
    public long RollStartTime { get; private set; } = -1;

    /// <summary>Closed segments take no appends; their indexes are on disk.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>How many times this segment's indexes were found missing or damaged and rebuilt.</summary>
    public int IndexRebuilds { get; private set; }

    public string LogPath => _log.Path;

    public static LogSegment Create(string directory, long baseOffset, int indexIntervalBytes, LogFileFactory files)
    {
        var segment = new LogSegment(files(SegmentFileNames.LogPath(directory, baseOffset)), directory, baseOffset, indexIntervalBytes)
        {
            _index = new OffsetIndex(baseOffset),
            _timeIndex = new TimeIndex(baseOffset),
        };
        if (!segment.IsEmpty)
        {
            throw new InvalidOperationException($"Segment {segment.LogPath} already holds data.");
        }

        return segment;
    }

    /// <summary>
    /// Opens a closed segment whose extent is known from its successor; its indexes load on first use.
    /// </summary>
    public static LogSegment OpenClosed(string directory, long baseOffset, long nextOffset, int indexIntervalBytes, LogFileFactory files) =>
        new(files(SegmentFileNames.LogPath(directory, baseOffset)), directory, baseOffset, indexIntervalBytes)
        {
            NextOffset = nextOffset,
            IsClosed = true,
        };

    /// <summary>
    /// Opens the last segment of a log to take appends again. With <paramref name="verify"/> the
    /// whole file is scanned (CRC, sizes, offsets) and a torn or corrupt tail cut off; otherwise
    /// its saved indexes are trusted if their checksums hold, and only the tail after the last
    /// index entry is read to find the log end.
    /// </summary>
    public static LogSegment OpenActive(string directory, long baseOffset, int indexIntervalBytes, LogFileFactory files, bool verify, out SegmentRecovery recovery)
    {
        var segment = new LogSegment(files(SegmentFileNames.LogPath(directory, baseOffset)), directory, baseOffset, indexIntervalBytes);
        if (verify)
        {
            recovery = segment.Recover();
        }
        else if (segment.TryLoadIndexes())
        {
            recovery = segment.ScanTail();
        }
        else
        {
            segment.IndexRebuilds++;
            recovery = segment.Recover();
        }

        segment.DeleteIndexFiles();
        segment.RollStartTime = segment.FirstBatchTimestamp();
        return segment;
    }

    /// <summary>
    /// Scans the whole file, checking every batch (framing, magic, CRC, contiguous offsets),
    /// rebuilds both indexes, and truncates the file after the last whole batch.
    /// </summary>
    public SegmentRecovery Recover()
    {
        var size = Size;
        var (batches, validEnd, stop, reason) = ReindexFromScan(verify: true);
        var truncated = size - validEnd;
        if (truncated > 0)
        {
            _log.Truncate(validEnd);
        }

        return new SegmentRecovery(BaseOffset, batches, validEnd, truncated, stop, reason);
    }

    public void Flush() => _log.Flush();

    /// <summary>
    /// Seals the segment: records its max timestamp in the time index and saves both indexes.
    /// Also re-seals a closed segment whose indexes recovery rebuilt.
    /// </summary>
    public void Close()
    {
        EnsureIndexes();
        _timeIndex!.MaybeAppend(MaxTimestamp, NextOffset);
        SaveIndexes();
        IsClosed = true;
    }

    /// <summary>Writes both in-memory indexes to their files (atomically, with checksums).</summary>
    internal void SaveIndexes()
    {
        EnsureIndexes();
        _index!.Save(SegmentFileNames.IndexPath(_directory, BaseOffset));
        _timeIndex!.Save(SegmentFileNames.TimeIndexPath(_directory, BaseOffset));
    }

    /// <summary>Makes a closed segment the active one again (after a truncation removed its successors).</summary>
    public void Reopen()
    {
        EnsureIndexes();
        DeleteIndexFiles();
        IsClosed = false;
    }

    /// <summary>Removes the segment's files from disk.</summary>
    public void Delete()
    {
        _log.Delete();
        DeleteIndexFiles();
    }

    public void Dispose() => _log.Dispose();

    /// <summary>Loads the saved indexes, or rebuilds them from the log when either is missing or damaged.</summary>
    internal void EnsureIndexes()
    {
        if (_index is not null)
        {
            return;
        }

        if (!TryLoadIndexes())
        {
            IndexRebuilds++;
            Rebuild();
            if (IsClosed)
            {
                // Save the rebuilt indexes so the next open does not rebuild them again.
                _timeIndex!.MaybeAppend(MaxTimestamp, NextOffset);
                SaveIndexes();
            }
        }
    }

    private bool TryLoadIndexes()
    {
        if (!OffsetIndex.TryLoad(SegmentFileNames.IndexPath(_directory, BaseOffset), BaseOffset, Size, out var index, out _)
            || !TimeIndex.TryLoad(SegmentFileNames.TimeIndexPath(_directory, BaseOffset), BaseOffset, out var timeIndex, out _))
        {
            return false;
        }

        _index = index;
        _timeIndex = timeIndex;
        MaxTimestamp = timeIndex.LastTimestamp;
        return true;
    }

    /// <summary>Rebuilds both indexes from the log without cutting anything off.</summary>
    private void Rebuild() => ReindexFromScan(verify: false);

    /// <summary>
    /// Starts both indexes afresh and fills them from a scan of the whole file; with
    /// <paramref name="verify"/> the scan checks every batch and stops at the first bad one.
    /// </summary>
    private (int Batches, long ValidEnd, ScanStop Stop, string Reason) ReindexFromScan(bool verify)
    {
        _index = new OffsetIndex(BaseOffset);
        _timeIndex = new TimeIndex(BaseOffset);
        _bytesSinceLastIndexEntry = 0;
        MaxTimestamp = -1;
        NextOffset = BaseOffset;
        var batches = 0;
        using var scanner = BatchScanner.Start(_log, 0, Size, ScanChunkBytes, verify, expectedBaseOffset: BaseOffset);
        while (scanner.TryNext(out var batch))
        {
            IndexBatch(batch);
            batches++;
        }

        return (batches, scanner.Position, scanner.Stop, scanner.StopReason);
    }

    /// <summary>
    /// With trusted indexes, finds the log end by reading from the last index entry to the end
    /// of the file; falls back to a full recovery if the tail does not parse.
    /// </summary>
    private SegmentRecovery ScanTail()
    {
        var start = _index!.Lookup(long.MaxValue);
        var size = Size;
        NextOffset = start.Offset;
        var batches = 0;
        using (var scanner = BatchScanner.Start(_log, start.Position, size, ScanChunkBytes, verify: true, expectedBaseOffset: start.Offset))
        {
            while (scanner.TryNext(out var batch))
            {
                NextOffset = batch.NextOffset;
                TrackTimestamp(batch);
                batches++;
            }

            if (scanner.Stop == ScanStop.End)
            {
                _bytesSinceLastIndexEntry = size - start.Position;
                return new SegmentRecovery(BaseOffset, batches, size, 0, ScanStop.End, string.Empty);
            }
        }

        IndexRebuilds++;
        return Recover();
    }

    /// <summary>The leader epochs of the stored batches, each with the first offset it wrote here.</summary>
    internal IEnumerable<Epochs.EpochEntry> ScanEpochs()
    {
        var current = int.MinValue;
        using var scanner = BatchScanner.Start(_log, 0, Size, ScanChunkBytes);
        while (scanner.TryNext(out var batch))
        {
            if (batch.PartitionLeaderEpoch != current)
            {
                current = batch.PartitionLeaderEpoch;
                yield return new Epochs.EpochEntry(current, batch.BaseOffset);
            }
        }
    }

    private long FirstBatchTimestamp()
    {
        if (IsEmpty)
        {
            return -1;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        return _log.Read(0, header) == HeaderSize ? new RecordBatchHeader(header).MaxTimestamp : -1;
    }

    private void DeleteIndexFiles()
    {
        File.Delete(SegmentFileNames.IndexPath(_directory, BaseOffset));
        File.Delete(SegmentFileNames.TimeIndexPath(_directory, BaseOffset));
    }
}
