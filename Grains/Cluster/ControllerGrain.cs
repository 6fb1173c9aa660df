using Microsoft.Extensions.Logging;
using Orleans;
using Orlog.Errors;
using Orlog.Hosting;
using Orlog.Partitions;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Cluster;

/// <summary>
/// The cluster metadata: brokers seen and each partition's replicas, leader, leader epoch and ISR,
/// durable in the metadata storage (every write ETag-checked by the storage). Live brokers come from
/// Orleans membership (<see cref="LiveBrokers"/>); a broker once seen is remembered, so a dead one still
/// shows with the partitions it holds. Every leadership change is written first, then told to the
/// partition's leader (one-way), whose grain then serves on the new leader's silo.
/// </summary>
/// <remarks>Calls go one at a time; it calls other grains one-way only, so no call cycle through it can deadlock.</remarks>
public sealed partial class ControllerGrain(
    [PersistentState("controller", OrlogStorage.Metadata)] IPersistentState<ControllerState> state,
    LiveBrokers live,
    ILogger<ControllerGrain> logger)
    : Grain, IControllerGrain
{
    private readonly ILogger _logger = logger;

    public async Task AssignAsync(string topic, int partitions, short replicationFactor, bool uncleanLeaderElection)
    {
        var changed = RememberLiveBrokers(out var brokers);
        if (!state.State.Topics.TryGetValue(topic, out var leadership))
        {
            leadership = state.State.Topics[topic] = new TopicLeadership();
            changed = true;
        }

        if (leadership.UncleanLeaderElection != uncleanLeaderElection)
        {
            leadership.UncleanLeaderElection = uncleanLeaderElection;
            changed = true;
        }

        if (leadership.Partitions.Count < partitions)
        {
            var before = leadership.Partitions.Count;
            var replicas = leadership.Partitions.ConvertAll(p => p.Replicas);
            var existing = state.State.Topics.Values.SelectMany(t => t.Partitions).Select(p => p.Replicas);
            ReplicaPlacement.AssignNew(brokers, existing, replicas, partitions, replicationFactor);
            leadership.Partitions.AddRange(replicas.Skip(before).Select(PartitionLeadership.New));
            changed = true;
            var placed = string.Join(' ', replicas.Skip(before).Select(r => string.Join(',', r)));
            LogAssigned(topic, before, partitions - 1, placed);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<PartitionLeadership>> PartitionsAsync(string topic) =>
        Task.FromResult<IReadOnlyList<PartitionLeadership>>(state.State.Topics.TryGetValue(topic, out var leadership) ? [.. leadership.Partitions] : []);

    public Task<PartitionLeadership?> LeadershipAsync(TopicPartition partition) =>
        Task.FromResult(Find(partition));

    public async Task<PartitionLeadership> AlterIsrAsync(TopicPartition partition, int leaderEpoch, int version, int[] isr)
    {
        var current = Find(partition) ?? throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"The controller has no partition {partition}.");
        if (leaderEpoch != current.LeaderEpoch)
        {
            throw new OrlogException(ErrorCode.FencedLeaderEpoch, $"Partition {partition} is at leader epoch {current.LeaderEpoch} (leader {current.Leader}); an ISR change from epoch {leaderEpoch} is stale.");
        }

        if (!isr.Contains(current.Leader) || !isr.All(current.Replicas.Contains) || isr.Distinct().Count() != isr.Length)
        {
            throw new OrlogException(ErrorCode.InvalidRequest, $"ISR [{string.Join(',', isr)}] of partition {partition} must hold its leader {current.Leader} and only its replicas [{string.Join(',', current.Replicas)}], once each.");
        }

        if (version != current.Version)
        {
            return current;
        }

        var live = LiveBrokerIds();
        var next = Reassignment.CompleteIfInSync(LeaderElection.OnIsrChanged(current, isr, live), live);
        await ApplyAsync([(partition, current, next)]);
        return next;
    }

    public async Task<PartitionLeadership> ReassignAsync(TopicPartition partition, int[] replicas)
    {
        var current = Find(partition) ?? throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"The controller has no partition {partition}.");
        var next = Reassignment.Start(partition, current, replicas, LiveBrokerIds());
        await ApplyAsync([(partition, current, next)]);
        return next;
    }

    public async Task<int[]> BrokersChangedAsync()
    {
        var changed = RememberLiveBrokers(out _);
        var liveIds = LiveBrokerIds();
        var changes = new List<(TopicPartition, PartitionLeadership, PartitionLeadership)>();
        foreach (var (topic, leadership) in state.State.Topics)
        {
            for (var p = 0; p < leadership.Partitions.Count; p++)
            {
                var current = leadership.Partitions[p];
                var next = LeaderElection.OnBrokersChanged(current, liveIds, leadership.UncleanLeaderElection);
                if (!ReferenceEquals(next, current))
                {
                    changes.Add((new TopicPartition(topic, p), current, next));
                }
            }
        }

        if (changes.Count > 0)
        {
            await ApplyAsync(changes);
        }
        else if (changed)
        {
            await state.WriteStateAsync();
        }

        return [.. liveIds.Order()];
    }

    public async Task<long> InitProducerIdAsync()
    {
        var id = state.State.NextProducerId++;
        await state.WriteStateAsync();
        return id;
    }

    public async Task RemoveTopicAsync(string topic)
    {
        if (state.State.Topics.Remove(topic))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<IReadOnlyList<BrokerDescription>> DescribeBrokersAsync()
    {
        if (RememberLiveBrokers(out _))
        {
            await state.WriteStateAsync();
        }

        var held = new Dictionary<int, (int Partitions, int Leaders)>();
        foreach (var partition in state.State.Topics.Values.SelectMany(t => t.Partitions))
        {
            foreach (var replica in partition.Replicas)
            {
                var (partitions, leaders) = held.GetValueOrDefault(replica);
                held[replica] = (partitions + 1, leaders + (replica == partition.Leader ? 1 : 0));
            }
        }

        var silos = live.Current().ToDictionary(b => b.Broker.BrokerId, b => b.Silo);
        return [.. state.State.Brokers.OrderBy(b => b.Key).Select(b =>
        {
            var (partitions, leaders) = held.GetValueOrDefault(b.Key);
            var silo = silos.GetValueOrDefault(b.Key);
            return new BrokerDescription(b.Key, b.Value.Length == 0 ? null : b.Value, silo?.Endpoint.ToString(), silo is not null, partitions, leaders);
        })];
    }

    private PartitionLeadership? Find(TopicPartition partition) =>
        state.State.Topics.TryGetValue(partition.Topic, out var leadership) && partition.Partition >= 0 && partition.Partition < leadership.Partitions.Count
            ? leadership.Partitions[partition.Partition]
            : null;

    /// <summary>Writes the changes, then tells each partition's grain (one-way) and logs the leader changes.</summary>
    private async Task ApplyAsync(List<(TopicPartition Partition, PartitionLeadership Before, PartitionLeadership After)> changes)
    {
        foreach (var (partition, _, after) in changes)
        {
            state.State.Topics[partition.Topic].Partitions[partition.Partition] = after;
        }

        await state.WriteStateAsync();
        foreach (var (partition, before, after) in changes)
        {
            LogIfReassigned(partition, before, after);
            var isr = string.Join(',', after.Isr);
            if (after.LeaderEpoch != before.LeaderEpoch)
            {
                LogLeaderChanged(partition, before.Leader, after.Leader, after.LeaderEpoch, isr);
            }
            else
            {
                var wasIsr = string.Join(',', before.Isr);
                LogIsrChanged(partition, after.Leader, wasIsr, isr);
            }

            if (after.Leader >= 0)
            {
                _ = GrainFactory.GetGrain<IPartitionControlGrain>(PartitionKey.Format(partition.Topic, partition.Partition)).LeadershipChangedAsync(after);
            }

            foreach (var removed in before.Replicas.Except(after.Replicas))
            {
                _ = DeleteReplicaAsync(partition, removed);
            }
        }
    }

    /// <summary>
    /// A reassignment moved the partition off <paramref name="brokerId"/>: its copy is deleted (not awaited, so the
    /// controller calls no grain it waits on). A broker down at the time keeps its files.
    /// </summary>
    private async Task DeleteReplicaAsync(TopicPartition partition, int brokerId)
    {
        try
        {
            await GrainFactory.GetGrain<IFollowerGrain>(FollowerKey.Format(partition, brokerId)).DeleteDataAsync();
        }
        catch (Exception error)
        {
            LogReplicaDeleteFailed(partition, brokerId, error);
        }
    }

    private void LogIfReassigned(TopicPartition partition, PartitionLeadership before, PartitionLeadership after)
    {
        var replicasChanged = !before.Replicas.SequenceEqual(after.Replicas);
        if (before.Target is null && (after.Target is not null || replicasChanged))
        {
            var (from, to) = (string.Join(',', before.Replicas), string.Join(',', after.Target ?? after.Replicas));
            LogReassignmentStarted(partition, from, to);
        }

        if (after.Target is null && (before.Target is not null || replicasChanged))
        {
            var replicas = string.Join(',', after.Replicas);
            LogReassignmentCompleted(partition, replicas);
        }
    }

    private HashSet<int> LiveBrokerIds() => [.. live.Current().Select(b => b.Broker.BrokerId)];

    /// <summary>Adds live brokers not seen before (or with a new zone) to the state; true when it changed.</summary>
    private bool RememberLiveBrokers(out List<BrokerIdentity> brokers)
    {
        brokers = [.. live.Current().Select(b => b.Broker)];
        var changed = false;
        foreach (var broker in brokers)
        {
            var zone = broker.Zone ?? "";
            if (!state.State.Brokers.TryGetValue(broker.BrokerId, out var known) || known != zone)
            {
                state.State.Brokers[broker.BrokerId] = zone;
                changed = true;
                LogBrokerSeen(broker.BrokerId, zone);
            }
        }

        return changed;
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Partitions {From} to {To} of topic {Topic} placed on brokers (replica lists, leader first): {Replicas}")]
    private partial void LogAssigned(string topic, int from, int to, string replicas);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Broker {BrokerId} (zone '{Zone}') joined the cluster metadata")]
    private partial void LogBrokerSeen(int brokerId, string zone);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Partition {Partition} (leader {Leader}): ISR [{Before}] -> [{After}]")]
    private partial void LogIsrChanged(TopicPartition partition, int leader, string before, string after);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Partition {Partition}: moving from replicas [{Before}] to [{Target}]; the new replicas catch up first")]
    private partial void LogReassignmentStarted(TopicPartition partition, string before, string target);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Information, Message = "Partition {Partition}: moved; replicas now [{Replicas}]")]
    private partial void LogReassignmentCompleted(TopicPartition partition, string replicas);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning, Message = "Partition {Partition} moved off broker {Broker}, but deleting its copy there failed; the files stay until removed by hand")]
    private partial void LogReplicaDeleteFailed(TopicPartition partition, int broker, Exception error);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Partition {Partition}: leader {Before} -> {After} at epoch {LeaderEpoch}, ISR [{Isr}] (-1: offline)")]
    private partial void LogLeaderChanged(TopicPartition partition, int before, int after, int leaderEpoch, string isr);
}
