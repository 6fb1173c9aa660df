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

/// <summary>
/// Asks the controller which broker leads the partition and picks that broker's silo. When the
/// broker is down (or the partition has no leader: an unknown topic), the grain is placed here and
/// answers for itself — offline, or unknown; once the broker is back it migrates there, and this
/// director, asked again, picks the broker's silo.
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
            var (leader, silo) = await live.LeaderOfAsync(PartitionKey.Parse(target.GrainIdentity.Key.ToString()!));
            if (silo is not null && Array.IndexOf(compatible, silo) >= 0)
            {
                return silo;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var brokers = string.Join(", ", live.Current().Select(b => $"{b.Broker.BrokerId}@{b.Silo}"));
                var silos = string.Join(", ", compatible.Select(c => c.ToString()));
                var partition = target.GrainIdentity.Key.ToString()!;
                LogLeaderNotLive(partition, leader, brokers, silos);
            }
        }
        catch (OrlogException)
        {
            // Not a partition key: the grain says so itself.
        }

        return Array.IndexOf(compatible, context.LocalSilo) >= 0 ? context.LocalSilo : compatible[0];
    }

    [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "Partition {Partition} stays offline here: its broker {Leader} is not live (live brokers: {Live}; compatible silos: {Compatible})")]
    private partial void LogLeaderNotLive(string partition, int leader, string live, string compatible);
}
