using System.Runtime.InteropServices;
using Orlog.Errors;
using Orlog.Log;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Partitions;

/// <summary>Fetch with long poll.</summary>
public sealed partial class PartitionGrain
{
    /// <summary>The longest a fetch may wait for data; Kafka caps fetch.max.wait.ms by the request timeout too.</summary>
    public static readonly TimeSpan MaxFetchWait = TimeSpan.FromMinutes(5);

    /// <summary>Completed (and replaced) when data arrives, for the fetches that wait; null while none waits.</summary>
    private TaskCompletionSource? _dataArrived;

    public async Task<FetchResult> FetchAsync(long offset, int maxBytes, int minBytes, TimeSpan maxWait)
    {
        if (maxBytes <= 0)
        {
            throw new OrlogException(ErrorCode.InvalidFetchSize, $"maxBytes must be positive; got {maxBytes}.");
        }

        if (minBytes < 0 || maxWait < TimeSpan.Zero || maxWait > MaxFetchWait)
        {
            throw new OrlogException(ErrorCode.InvalidRequest, $"minBytes must be >= 0 and maxWait between 0 and {MaxFetchWait}; got {minBytes} and {maxWait}.");
        }

        var started = time.GetTimestamp();
        while (true)
        {
            var log = await OpenLogAsync();
            if (offset < log.LogStartOffset && log.Config.RemoteStorageEnable)
            {
                var remote = await ReadRemoteAsync(log, offset, maxBytes);
                metrics.Fetched(_partition.Topic, remote.Records.Length, time.GetElapsedTime(started));
                return remote;
            }

            var highWatermark = log.HighWatermark;
            if (!TryReadLocal(log, offset, maxBytes, highWatermark, out var read))
            {
                continue;
            }

            var waited = time.GetElapsedTime(started);
            if (read.Records.Length >= minBytes || waited >= maxWait)
            {
                metrics.Fetched(_partition.Topic, read.Records.Length, waited);
                return new FetchResult(ToArray(read.Records), highWatermark, tier.LogStartOffset(_partition, log));
            }

            _dataArrived ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await _dataArrived.Task.WaitAsync(maxWait - waited, time);
            }
            catch (TimeoutException)
            {
                // The wait is over: the next pass returns what there is.
            }
        }
    }

    /// <summary>
    /// Reads below the local log start from the remote tier. The wait for the remote store
    /// interleaves (the grain is reentrant), so a slow remote read never holds up a produce.
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">The offset is below the log start of both tiers, or remote retention deleted it meanwhile.</exception>
    private async Task<FetchResult> ReadRemoteAsync(PartitionLog log, long offset, int maxBytes)
    {
        var start = tier.LogStartOffset(_partition, log);
        if (offset >= start && await tier.ReadAsync(_partition, offset, maxBytes, CancellationToken.None) is { } records)
        {
            return new FetchResult(records, log.HighWatermark, start);
        }

        start = tier.LogStartOffset(_partition, log);
        throw new OffsetOutOfRangeException(offset, start, log.HighWatermark);
    }

    /// <summary>
    /// Reads from the local log, below the high watermark (consumers see only what every in-sync replica has);
    /// false when local retention moved the log start past
    /// <paramref name="offset"/> after the caller looked (the tiering service deletes copied segments
    /// on its own thread), so the caller looks again and reads the offset from the remote tier.
    /// </summary>
    private static bool TryReadLocal(PartitionLog log, long offset, int maxBytes, long highWatermark, out LogReadResult read)
    {
        try
        {
            read = log.Read(offset, maxBytes, highWatermark);
            return true;
        }
        catch (OffsetOutOfRangeException) when (log.Config.RemoteStorageEnable && offset < log.LogStartOffset)
        {
            read = default;
            return false;
        }
    }

    /// <summary>Wakes every fetch waiting for data (after an append, a config change or deletion).</summary>
    private void WakeFetchers()
    {
        if (_dataArrived is { } arrived)
        {
            _dataArrived = null;
            arrived.TrySetResult();
        }
    }

    /// <summary>The read's bytes as an array the result can own: the log's own buffer when it is exactly that.</summary>
    private static byte[] ToArray(ReadOnlyMemory<byte> records) =>
        MemoryMarshal.TryGetArray(records, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : records.ToArray();
}
