using Microsoft.Extensions.Logging;
using Orlog.Errors;
using Orlog.Log.Epochs;
using Orlog.Log.Files;
using Orlog.Log.Flush;
using Orlog.Log.Recovery;

namespace Orlog.Log;

/// <summary>
/// The log of one partition: an ordered set of <see cref="LogSegment"/>s in one directory, the
/// last of which takes appends. Assigns offsets, serves reads of whole batches, finds offsets
/// by timestamp, truncates, deletes old data, and keeps the leader-epoch checkpoint.
/// </summary>
/// <remarks>
/// Thread-safe. Appends, reads and metadata changes serialize on one lock and do only
/// page-cache I/O under it; fsyncs run under a separate flush lock so that they never block
/// appends (a flush snapshots what to sync, then syncs outside the append lock). Segment
/// deletion and truncation take both locks, so a segment is never removed while it is synced.
/// The segment list is an immutable array, replaced on roll, delete and truncate.
/// </remarks>
public sealed partial class PartitionLog : IFlushable, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Lock _flushLock = new();
    private readonly string _directory;
    private readonly LogFileFactory _files;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaderEpochCache _epochs;
    private readonly IFlushPolicy _flushPolicy;
    private LogSegment[] _segments;
    private long _logStartOffset;
    private long _logEndOffset;
    private long _recoveryPoint;
    private long _remoteCopiedOffset = -1;
    private Exception? _failure;
    private bool _closed;

    private PartitionLog(string directory, LogConfig config, PartitionLogOptions options, OpenedSegments opened)
    {
        _directory = directory;
        Config = config;
        _files = opened.Files;
        _time = options.Time;
        _logger = options.Logger;
        _segments = opened.Segments;
        _logStartOffset = opened.LogStartOffset;
        _logEndOffset = _segments[^1].NextOffset;
        _recoveryPoint = Math.Min(opened.RecoveryPoint, _logEndOffset);
        _epochs = opened.Epochs;
        Recovery = opened.Report;
        Durability = new DurabilityTracker(_logEndOffset);
        _flushPolicy = config.FlushMode switch
        {
            FlushMode.EveryBatch => new EveryBatchFlushPolicy(this),
            FlushMode.Interval => new GroupCommitFlushPolicy(this, TimeSpan.FromMilliseconds(config.FlushMs), _time),
            _ => new OsFlushPolicy(this),
        };
    }

    public string Directory => _directory;

    public LogConfig Config { get; }

    /// <summary>The first offset a read may ask for.</summary>
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>The offset the next appended record gets.</summary>
    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    /// <summary>Every offset below this was fsynced; recovery after a crash starts here.</summary>
    public long RecoveryPoint => Volatile.Read(ref _recoveryPoint);

    /// <summary>The "durable up to" mark and the awaitable to ack on it.</summary>
    public DurabilityTracker Durability { get; }

    /// <summary>What opening this log found and repaired.</summary>
    public RecoveryReport Recovery { get; }

    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Bytes stored in all segments.</summary>
    public long Size
    {
        get
        {
            long size = 0;
            foreach (var segment in Volatile.Read(ref _segments))
            {
                size += segment.Size;
            }

            return size;
        }
    }

    /// <summary>The leader epochs seen and where each started.</summary>
    public IReadOnlyList<EpochEntry> LeaderEpochs
    {
        get
        {
            lock (_lock)
            {
                return [.. _epochs.Entries];
            }
        }
    }

    /// <summary>Opens the log in <paramref name="directory"/>, creating it if absent and recovering it if it was not closed cleanly.</summary>
    public static PartitionLog Open(string directory, LogConfig config, PartitionLogOptions? options = null)
    {
        config.Validate();
        options ??= new PartitionLogOptions();
        var files = options.Files ?? new FileHandleCache().Open;
        var opened = LogLoader.Load(directory, config, files);
        var log = new PartitionLog(directory, config, options, opened);
        log.LoadProducerState();
        log.WriteCheckpoint(cleanShutdown: false);
        log.LogOpened();
        return log;
    }

    /// <summary>
    /// The epoch that wrote the offsets up to <paramref name="epoch"/> and where it ended
    /// (Kafka's OffsetsForLeaderEpoch), for a follower to truncate by.
    /// </summary>
    public EpochEnd EndOffsetForEpoch(int epoch)
    {
        lock (_lock)
        {
            return _epochs.EndOffsetFor(epoch, _logEndOffset);
        }
    }

    /// <summary>
    /// Writes the recovery point and log start offset so that a crash later scans only what came
    /// after; the log manager calls it periodically.
    /// </summary>
    public void WriteRecoveryCheckpoint()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                WriteCheckpoint(cleanShutdown: false);
            }
        }
    }

    /// <summary>Flushes everything, seals the active segment's indexes and marks the shutdown clean.</summary>
    public async ValueTask DisposeAsync()
    {
        await _flushPolicy.DisposeAsync().ConfigureAwait(false);
        lock (_flushLock)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                var segments = _segments;
                try
                {
                    if (_failure is null)
                    {
                        foreach (var segment in segments)
                        {
                            if (segment.NextOffset > _recoveryPoint || segment == segments[^1])
                            {
                                segment.Flush();
                            }
                        }

                        segments[^1].Close();
                        _recoveryPoint = _logEndOffset;
                        WriteCheckpoint(cleanShutdown: true);
                        Durability.Advance(_logEndOffset);
                    }
                }
                finally
                {
                    foreach (var segment in segments)
                    {
                        segment.Dispose();
                    }
                }
            }
        }

        LogClosed(_failure is null);
    }

    private void WriteCheckpoint(bool cleanShutdown) =>
        new PartitionCheckpoint(cleanShutdown, _recoveryPoint, _logStartOffset).Write(_directory);

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_failure is { } failure)
        {
            throw new OrlogException(
                ErrorCode.KafkaStorageError,
                $"The log in {_directory} failed a write earlier ({failure.Message}) and takes no more appends until it is reopened; check the disk.",
                failure);
        }
    }

    /// <summary>Latches the first I/O error: every later append and flush fails fast with it.</summary>
    private OrlogException Latch(Exception error)
    {
        var wrapped = new OrlogException(ErrorCode.KafkaStorageError, $"Writing the log in {_directory} failed: {error.Message}. The partition takes no more appends until it is reopened.", error);
        if (Interlocked.CompareExchange(ref _failure, error, null) is null)
        {
            Durability.Fail(wrapped);
            LogWriteFailed(error);
        }

        return wrapped;
    }

    /// <summary>The index of the segment holding <paramref name="offset"/>: the last one whose base offset is not above it.</summary>
    private static int FloorSegment(LogSegment[] segments, long offset)
    {
        int low = 0, high = segments.Length - 1, found = 0;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (segments[middle].BaseOffset <= offset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
