using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;

namespace Orlog.Cluster;

/// <summary>
/// Tells the controller when the live brokers change. Every silo watches its own view of Orleans membership
/// (with the broker ids silos publish as metadata, which arrive shortly after a silo turns active) and calls
/// the controller until the controller has seen the same set; the controller then elects leaders where needed.
/// </summary>
internal sealed partial class BrokerWatcher(LiveBrokers live, IGrainFactory grains, TimeProvider time, ILogger<BrokerWatcher> logger) : BackgroundService
{
    /// <summary>How often the local view is compared; a change costs at most this on top of failure detection.</summary>
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        var told = "";
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var brokers = string.Join(',', live.Current().Select(b => b.Broker.BrokerId));
                if (brokers == told)
                {
                    continue;
                }

                try
                {
                    var seen = await grains.GetGrain<IControllerGrain>(IControllerGrain.Key).BrokersChangedAsync().ConfigureAwait(false);
                    if (string.Join(',', seen) == brokers)
                    {
                        told = brokers;
                        LogBrokersChanged(brokers);
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogTellFailed(error);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    [LoggerMessage(EventId = 6105, Level = LogLevel.Debug, Message = "Live brokers now [{Brokers}]; the controller has them")]
    private partial void LogBrokersChanged(string brokers);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Debug, Message = "Telling the controller about a change of live brokers failed; trying again")]
    private partial void LogTellFailed(Exception error);
}
