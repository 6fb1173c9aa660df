using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orlog.Log.Files;

namespace Orlog.Log;

/// <summary>
/// Owns the silo's data directory: opens partition logs on first use (recovering them),
/// bounds the open segment files of all of them with one <see cref="FileHandleCache"/>, runs
/// retention and recovery-point checkpoints in the background, and closes every log cleanly
/// on shutdown. The only code that touches log files.
/// </summary>
/// <remarks>Thread-safe. One per silo.</remarks>
public sealed partial class LogManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<TopicPartition, Lazy<PartitionLog>> _logs = new();
    private readonly LogManagerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _background = Task.CompletedTask;

    public LogManager(LogManagerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        options.Validate();
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<LogManager>();
        _time = time ?? TimeProvider.System;
        Handles = new FileHandleCache(options.MaxOpenSegmentFiles);
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        System.IO.Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>The shared bound on open segment files.</summary>
    public FileHandleCache Handles { get; }

    /// <summary>Starts retention and checkpointing in the background.</summary>
    /// <remarks>The timer and the first retention time are set here, on the caller's clock reading, not when the loop gets a thread.</remarks>
    public void Start()
    {
        var tick = _options.CheckpointInterval < _options.RetentionCheckInterval ? _options.CheckpointInterval : _options.RetentionCheckInterval;
        var timer = new PeriodicTimer(tick, _time);
        var firstRetention = _time.GetUtcNow() + _options.RetentionCheckInterval;
        _background = Task.Run(() => RunBackgroundAsync(timer, firstRetention, _stop.Token));
        LogStarted(DataDirectory, _options.MaxOpenSegmentFiles);
    }

    /// <summary>The log of <paramref name="partition"/>, opened (and recovered) on first use, created if absent.</summary>
    public PartitionLog GetOrOpen(TopicPartition partition, LogConfig config)
    {
        var lazy = _logs.GetOrAdd(partition, p => new Lazy<PartitionLog>(() => Open(p, config), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (Exception) when (_logs.TryRemove(new KeyValuePair<TopicPartition, Lazy<PartitionLog>>(partition, lazy)))
        {
            // Forget the failed open so that the next call tries again (after the disk is fixed).
            throw;
        }
    }

    public bool TryGet(TopicPartition partition, out PartitionLog log)
    {
        if (_logs.TryGetValue(partition, out var lazy) && lazy.IsValueCreated)
        {
            log = lazy.Value;
            return true;
        }

        log = null!;
        return false;
    }

    /// <summary>The logs open right now, with their partitions.</summary>
    public IReadOnlyList<(TopicPartition Partition, PartitionLog Log)> OpenPartitions()
    {
        var open = new List<(TopicPartition, PartitionLog)>(_logs.Count);
        foreach (var (partition, lazy) in _logs)
        {
            if (lazy.IsValueCreated)
            {
                open.Add((partition, lazy.Value));
            }
        }

        return open;
    }

    /// <summary>Closes the partition's log cleanly if it is open; the next <see cref="GetOrOpen"/> opens it again.</summary>
    public async Task CloseAsync(TopicPartition partition)
    {
        if (_logs.TryRemove(partition, out var lazy) && lazy.IsValueCreated)
        {
            await lazy.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The partitions that have a directory on disk, open or not.</summary>
    public IReadOnlyList<TopicPartition> ListPartitionsOnDisk()
    {
        var partitions = new List<TopicPartition>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories(DataDirectory))
        {
            var name = Path.GetFileName(directory);
            var dash = name.LastIndexOf('-');
            if (dash > 0 && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                partitions.Add(new TopicPartition(name[..dash], partition));
            }
        }

        return partitions;
    }

    /// <summary>Closes the partition's log if open and deletes its directory with all its data.</summary>
    public async Task DeleteAsync(TopicPartition partition)
    {
        await CloseAsync(partition).ConfigureAwait(false);

        var directory = PartitionDirectory(partition);
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        LogDeleted(partition);
    }

    /// <summary>Applies retention to every open log; returns the segments deleted.</summary>
    public int ApplyRetention()
    {
        var deleted = 0;
        foreach (var log in OpenLogs())
        {
            deleted += log.ApplyRetention();
        }

        return deleted;
    }

    /// <summary>Writes every open log's recovery point.</summary>
    public void WriteCheckpoints()
    {
        foreach (var log in OpenLogs())
        {
            log.WriteRecoveryCheckpoint();
        }
    }

    /// <summary>Stops the background work and closes every log cleanly (flush, seal indexes, clean checkpoint).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _background.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        var logs = OpenLogs();
        foreach (var log in logs)
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }

        _logs.Clear();
        _stop.Dispose();
        LogStopped(logs.Count);
    }

    private PartitionLog Open(TopicPartition partition, LogConfig config) =>
        PartitionLog.Open(PartitionDirectory(partition), config, new PartitionLogOptions
        {
            Files = Handles.Open,
            Time = _time,
            Logger = _loggerFactory.CreateLogger<PartitionLog>(),
        });

    private string PartitionDirectory(TopicPartition partition) => Path.Combine(DataDirectory, partition.ToString());

    private List<PartitionLog> OpenLogs()
    {
        var logs = new List<PartitionLog>(_logs.Count);
        foreach (var lazy in _logs.Values)
        {
            if (lazy.IsValueCreated)
            {
                logs.Add(lazy.Value);
            }
        }

        return logs;
    }

    private async Task RunBackgroundAsync(PeriodicTimer timer, DateTimeOffset nextRetention, CancellationToken stop)
    {
        using var owned = timer;
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            try
            {
                WriteCheckpoints();
                if (_time.GetUtcNow() >= nextRetention)
                {
                    nextRetention = _time.GetUtcNow() + _options.RetentionCheckInterval;
                    ApplyRetention();
                }
            }
            catch (Exception error) when (error is IOException or Errors.OrlogException)
            {
                LogBackgroundFailed(error);
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Log manager started on {DataDirectory} (at most {MaxOpenFiles} open segment files)")]
    private partial void LogStarted(string dataDirectory, int maxOpenFiles);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Log manager stopped; {Count} log(s) closed cleanly")]
    private partial void LogStopped(int count);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Deleted the log of {Partition}")]
    private partial void LogDeleted(TopicPartition partition);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "Background retention or checkpointing failed")]
    private partial void LogBackgroundFailed(Exception error);
}
