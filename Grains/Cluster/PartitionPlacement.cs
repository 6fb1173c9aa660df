using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime.Placement;
using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Cluster;

/// <summary>Places a partition grain on the silo of the broker that leads the partition.</summary>
[GenerateSerializer]
[Immutable]
[SuppressReferenceTracking]
public sealed class PartitionPlacement : PlacementStrategy
{
    internal static readonly PartitionPlacement Instance = new();
}

/// <summary>Marks a grain keyed <c>topic/partition</c> to be placed by <see cref="PartitionPlacementDirector"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartitionPlacementAttribute() : PlacementAttribute(PartitionPlacement.Instance);

/// <summary>Places a follower grain on the silo of the broker its key names.</summary>
[GenerateSerializer]
[Immutable]
[SuppressReferenceTracking]
public sealed class FollowerPlacement : PlacementStrategy
{
    internal static readonly FollowerPlacement Instance = new();
}

/// <summary>Marks a grain keyed <c>topic/partition/broker</c> to be placed by <see cref="PartitionPlacementDirector"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class FollowerPlacementAttribute() : PlacementAttribute(FollowerPlacement.Instance);

/// <summary>
/// Places a partition's leader grain on the silo of the broker the controller names as leader, and a
/// follower grain on the silo of its broker. When that broker is down (or the partition has no leader:
/// an unknown topic), the grain is placed here and answers for itself — offline, or unknown; once the
/// broker is back it migrates there, and this director, asked again, picks the broker's silo.
/// </summary>
public sealed partial class PartitionPlacementDirector(LiveBrokers live, ILogger<PartitionPlacementDirector> logger) : IPlacementDirector
{
    private readonly ILogger _logger = logger;

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (compatible.Length == 1)
        {
            return compatible[0];
        }

        try
        {
            var key = target.GrainIdentity.Key.ToString()!;
            var (leader, silo) = strategy is FollowerPlacement
                ? live.BrokerAndSilo(FollowerKey.Parse(key).Broker)
                : await live.LeaderOfAsync(PartitionKey.Parse(key));
            if (silo is not null && Array.IndexOf(compatible, silo) >= 0)
            {
                return silo;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var brokers = string.Join(", ", live.Current().Select(b => $"{b.Broker.BrokerId}@{b.Silo}"));
                var silos = string.Join(", ", compatible.Select(c => c.ToString()));
                LogBrokerNotLive(key, leader, brokers, silos);
            }
        }
        catch (OrlogException)
        {
            // Not a partition or follower key: the grain says so itself.
        }

        return Array.IndexOf(compatible, context.LocalSilo) >= 0 ? context.LocalSilo : compatible[0];
    }

    [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "Replica {Key} stays offline here: its broker {Broker} is not live (live brokers: {Live}; compatible silos: {Compatible})")]
    private partial void LogBrokerNotLive(string key, int broker, string live, string compatible);
}
