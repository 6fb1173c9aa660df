using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace Orlog.Groups;

/// <summary>
/// Every <c>offsets.retention.check.interval.ms</c>, asks each known group to drop offsets kept
/// past <c>offsets.retention.minutes</c> since it became empty (Kafka's offset expiration).
/// </summary>
internal sealed partial class OffsetsExpiryService(
    IGrainFactory grains,
    IOptions<ConsumerGroupOptions> options,
    TimeProvider time,
    ILogger<OffsetsExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.OffsetsRetentionCheckIntervalMs), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await ExpireAllAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>One pass over all groups; a group that fails is logged and tried again next time.</summary>
    internal async Task ExpireAllAsync()
    {
        var groups = await grains.GetGrain<IConsumerGroupDirectoryGrain>(IConsumerGroupDirectoryGrain.Key).ListAsync().ConfigureAwait(false);
        foreach (var group in groups)
        {
            try
            {
                await grains.GetGrain<IConsumerGroupGrain>(group).ExpireOffsetsAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogExpiryFailed(group, e);
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Expiring the offsets of group {GroupId} failed; trying again at the next check")]
    private partial void LogExpiryFailed(string groupId, Exception exception);
}
