using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orlog.Log;

namespace Orlog.Tiering;

/// <summary>
/// Every <see cref="TieringOptions.CheckIntervalMs"/>, runs a tiering pass over each open log of a topic
/// with <c>remote.storage.enable=true</c>: copy closed segments, finish interrupted work, apply total
/// retention. A failing partition (the remote store unreachable, say) is logged and tried again at the
/// next check; produce and local fetch never wait for it.
/// </summary>
internal sealed partial class TieringService(RemoteTier tier, LogManager logs, TimeProvider time, ILogger<TieringService> logger) : BackgroundService
{
    private readonly Dictionary<TopicPartition, int> _failures = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(tier.Options.CheckIntervalMs), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping; an interrupted copy is resumed at the next start.
        }
    }

    /// <summary>One pass over every tiered open log this broker leads, the partitions side by side (the copy throttle bounds the uploads).</summary>
    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var passes = new List<(TopicPartition Partition, Task Pass)>();
        foreach (var (partition, log) in logs.OpenPartitions())
        {
            if (log.Config.RemoteStorageEnable && log.Leads)
            {
                passes.Add((partition, tier.RunAsync(partition, log, cancellationToken)));
            }
        }

        foreach (var (partition, pass) in passes)
        {
            try
            {
                await pass.ConfigureAwait(false);
                if (_failures.Remove(partition))
                {
                    LogRecovered(partition);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var count = _failures[partition] = _failures.GetValueOrDefault(partition) + 1;
                if (count == 1)
                {
                    LogFailed(partition, error);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Tiering {Partition} failed; retrying at every check until it works")]
    private partial void LogFailed(TopicPartition partition, Exception error);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Tiering {Partition} works again")]
    private partial void LogRecovered(TopicPartition partition);
}
