using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Streams;

/// <summary>
/// Reads one partition for its pulling agent: long-poll fetches from where the partition's checkpoint
/// says delivery stands, records turned into per-stream batches; and commits the checkpoint as the
/// cache lets go of delivered batches, at most every <see cref="OrlogStreamOptions.CheckpointInterval"/>.
/// </summary>
/// <remarks>
/// Runs on the pulling agent's scheduler (awaits keep that context), like the queue's cache and cursors.
/// A fetch that a cursor's wake-up interrupts is not lost: the next call takes its answer.
/// </remarks>
internal sealed partial class OrlogQueueReceiver(PartitionQueue queue, GroupCheckpoints checkpoints, StreamTopics topics, TimeProvider time, ILogger logger) : IQueueAdapterReceiver
{
    /// <summary>How often a receiver that could not find where to read tries again.</summary>
    private static readonly TimeSpan StartRetryInterval = TimeSpan.FromSeconds(1);

    private readonly ChunkDecoder _decoder = queue.NewDecoder();
    private Task<FetchResult>? _fetch;
    private long _committed = -1;
    private long _lastCommit;
    private long _lastStartAttempt;
    private bool _startFailureLogged;

    public Task Initialize(TimeSpan timeout) => TryStartAsync();

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        if (!queue.Started && (time.GetElapsedTime(_lastStartAttempt) < StartRetryInterval || !await TryStartAsync().ConfigureAwait(true)))
        {
            return [];
        }

        await CommitAsync(force: false).ConfigureAwait(true);
        var options = queue.Options;
        var fetch = _fetch ??= queue.Fetch.FetchAsync(queue.Partition, queue.ReadPosition, options.FetchMaxBytes, 1, options.FetchMaxWait);
        if (!fetch.IsCompleted)
        {
            await Task.WhenAny(fetch, queue.Woken).ConfigureAwait(true);
        }

        var output = new List<IBatchContainer>();
        queue.TakeWakeUps(output);
        if (fetch.IsCompleted)
        {
            _fetch = null;
            try
            {
                var result = await fetch.ConfigureAwait(true);
                var batches = new List<OrlogBatchContainer>();
                queue.ReadPosition = _decoder.Decode(result.Records, queue.ReadPosition, null, batches);
                output.AddRange(batches);
            }
            catch (OrlogException e) when (e.Code == ErrorCode.OffsetOutOfRange)
            {
                await SkipToValidOffsetAsync().ConfigureAwait(true);
            }
        }

        return output;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => CommitAsync(force: false);

    public async Task Shutdown(TimeSpan timeout)
    {
        await CommitAsync(force: true).ConfigureAwait(true);
        var partition = queue.Partition.ToString();
        LogStopped(queue.Provider, partition, queue.ReadPosition, _committed);
    }

    /// <summary>
    /// Finds where to read: the partition's checkpoint, else its start or end as the options say. Until that
    /// succeeds (a topic not created yet, the group's grain moving after its silo died) the agent's polls try
    /// again, at most every <see cref="StartRetryInterval"/>; nothing is read from a guessed position.
    /// </summary>
    private async Task<bool> TryStartAsync()
    {
        _lastStartAttempt = time.GetTimestamp();
        try
        {
            var options = queue.Options;
            await topics.EnsureExistsAsync(queue.Partition.Topic).ConfigureAwait(true);
            var committed = await checkpoints.ReadAsync(queue.Partition).ConfigureAwait(true);
            queue.Start(committed ?? (await queue.Fetch.ListOffsetsAsync(queue.Partition, options.StartFromEarliest ? OffsetSpec.Earliest : OffsetSpec.Latest).ConfigureAwait(true)).Offset);
            _committed = committed ?? -1;
            _lastCommit = time.GetTimestamp();
            var partition = queue.Partition.ToString();
            LogStarted(queue.Provider, partition, queue.ReadPosition, committed is not null);
            return true;
        }
        catch (Exception e) when (e is OrlogException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            if (!_startFailureLogged)
            {
                _startFailureLogged = true;
                var partition = queue.Partition.ToString();
                LogStartFailed(e, queue.Provider, partition);
            }

            return false;
        }
    }

    /// <summary>Commits how far the partition has been delivered, when it moved and the interval has passed (or <paramref name="force"/>).</summary>
    private async Task CommitAsync(bool force)
    {
        if (queue.Cache is not { } cache || !queue.Started)
        {
            return;
        }

        var delivered = cache.DeliveredUpTo;
        if (delivered <= _committed || (!force && time.GetElapsedTime(_lastCommit) < queue.Options.CheckpointInterval))
        {
            return;
        }

        _lastCommit = time.GetTimestamp();
        try
        {
            await checkpoints.WriteAsync(queue.Partition, delivered).ConfigureAwait(true);
            _committed = delivered;
        }
        catch (Exception e) when (e is OrlogException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogCheckpointFailed(e, queue.Provider, queue.Partition.ToString(), delivered);
        }
    }

    /// <summary>Retention removed the records at the read position (or the log is shorter): go on from the log start, or its end.</summary>
    private async Task SkipToValidOffsetAsync()
    {
        var earliest = (await queue.Fetch.ListOffsetsAsync(queue.Partition, OffsetSpec.Earliest).ConfigureAwait(true)).Offset;
        var next = queue.ReadPosition < earliest
            ? earliest
            : (await queue.Fetch.ListOffsetsAsync(queue.Partition, OffsetSpec.Latest).ConfigureAwait(true)).Offset;
        LogSkipped(queue.Provider, queue.Partition.ToString(), queue.ReadPosition, next);
        queue.ReadPosition = next;
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Stream provider {Provider}: reading {Partition} from offset {Offset} (checkpoint found: {FromCheckpoint})")]
    private partial void LogStarted(string provider, string partition, long offset, bool fromCheckpoint);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Stream provider {Provider}: cannot find where to read {Partition} yet; trying again every second")]
    private partial void LogStartFailed(Exception error, string provider, string partition);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Stream provider {Provider}: stopped reading {Partition} at offset {Offset} (checkpoint: {Checkpoint})")]
    private partial void LogStopped(string provider, string partition, long offset, long checkpoint);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Stream provider {Provider}: offset {Offset} of {Partition} is out of range; reading on from {Next}")]
    private partial void LogSkipped(string provider, string partition, long offset, long next);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Stream provider {Provider}: could not commit the checkpoint {Offset} of {Partition}; trying again later")]
    private partial void LogCheckpointFailed(Exception error, string provider, string partition, long offset);
}
