using Microsoft.Extensions.Logging;
using Orleans;
using Orlog.Hosting;

namespace Orlog.Cluster;

/// <summary>
/// The cluster metadata: brokers seen and each partition's replica list, durable in the metadata
/// storage. Live brokers come from Orleans membership (<see cref="LiveBrokers"/>); a broker once seen
/// is remembered, so a dead one still shows with the partitions it holds.
/// </summary>
/// <remarks>Calls go one at a time; it calls no grain itself, so no call cycle through it can deadlock.</remarks>
public sealed partial class ControllerGrain(
    [PersistentState("controller", OrlogStorage.Metadata)] IPersistentState<ControllerState> state,
    LiveBrokers live,
    ILogger<ControllerGrain> logger)
    : Grain, IControllerGrain
{
    private readonly ILogger _logger = logger;

    public async Task<IReadOnlyList<int[]>> AssignAsync(string topic, int partitions, short replicationFactor)
    {
        var changed = RememberLiveBrokers(out var brokers);
        var replicas = state.State.Replicas.GetValueOrDefault(topic) ?? [];
        if (replicas.Count < partitions)
        {
            var before = replicas.Count;
            ReplicaPlacement.AssignNew(brokers, state.State.Replicas.Values.SelectMany(r => r), replicas, partitions, replicationFactor);
            state.State.Replicas[topic] = replicas;
            changed = true;
            var placed = string.Join(' ', replicas.Skip(before).Select(r => string.Join(',', r)));
            LogAssigned(topic, before, partitions - 1, placed);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        return replicas;
    }

    public Task<IReadOnlyList<int[]>> ReplicasAsync(string topic) =>
        Task.FromResult<IReadOnlyList<int[]>>(state.State.Replicas.GetValueOrDefault(topic) ?? []);

    public Task<int> LeaderAsync(TopicPartition partition) =>
        Task.FromResult(state.State.Replicas.TryGetValue(partition.Topic, out var replicas) && partition.Partition >= 0 && partition.Partition < replicas.Count
            ? replicas[partition.Partition][0]
            : -1);

    public async Task RemoveTopicAsync(string topic)
    {
        if (state.State.Replicas.Remove(topic))
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
        foreach (var replicas in state.State.Replicas.Values.SelectMany(r => r))
        {
            for (var i = 0; i < replicas.Length; i++)
            {
                var (partitions, leaders) = held.GetValueOrDefault(replicas[i]);
                held[replicas[i]] = (partitions + 1, leaders + (i == 0 ? 1 : 0));
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
}
