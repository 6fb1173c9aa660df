using Microsoft.Extensions.Logging;
using Orleans;
using Orlog.Cluster;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Hosting;
using Orlog.Partitions;

namespace Orlog.Topics;

/// <summary>
/// A topic's spec (partitions, replication factor, configs), durable in grain storage. It
/// validates every change before storing it and tells the partitions what changed.
/// </summary>
public sealed partial class TopicGrain(
    [PersistentState("topic", OrlogStorage.Metadata)] IPersistentState<TopicState> state,
    TimeProvider time,
    ILogger<TopicGrain> logger)
    : Grain, ITopicGrain
{
    /// <summary>Most partitions one topic may have.</summary>
    public const int MaxPartitions = 100_000;

    private readonly ILogger _logger = logger;

    private string Name => this.GetPrimaryKeyString();

    private IControllerGrain Controller => GrainFactory.GetGrain<IControllerGrain>(IControllerGrain.Key);

    /// <summary>Gives partitions without a broker one (a topic made before the cluster had a controller).</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Exists)
        {
            await AssignAsync(state.State.Partitions, state.State.ReplicationFactor, state.State.Configs);
        }
    }

    public async Task<TopicDescription> CreateAsync(TopicSpec spec)
    {
        TopicName.Validate(spec.Name);
        if (spec.Name != Name)
        {
            throw new OrlogException(ErrorCode.InvalidRequest, $"The spec names topic '{spec.Name}' but was sent to topic '{Name}'.");
        }

        ValidatePartitionCount(spec.Partitions);
        var replicationFactor = ValidateReplicationFactor(spec.ReplicationFactor);
        TopicConfigs.Validate(spec.Configs);
        if (state.State.Exists)
        {
            throw new OrlogException(ErrorCode.TopicAlreadyExists, $"Topic '{Name}' already exists.");
        }

        await AssignAsync(spec.Partitions, replicationFactor, spec.Configs);

        state.State = new TopicState
        {
            Exists = true,
            Partitions = spec.Partitions,
            ReplicationFactor = replicationFactor,
            Configs = new Dictionary<string, string>(spec.Configs, StringComparer.Ordinal),
            CreatedAt = time.GetUtcNow(),
        };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).AddAsync(Name);
        LogCreated(Name, spec.Partitions, replicationFactor);
        return Describe();
    }

    public Task<TopicDescription> DescribeAsync() => Task.FromResult(Describe());

    public async Task<TopicDescription> AlterConfigsAsync(IReadOnlyDictionary<string, string?> changes)
    {
        var configs = new Dictionary<string, string>(Existing().Configs, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                configs.Remove(name);
            }
            else
            {
                configs[name] = value;
            }
        }

        TopicConfigs.Validate(configs);
        state.State.Configs = configs;
        await state.WriteStateAsync();
        await AssignAsync(state.State.Partitions, state.State.ReplicationFactor, configs);
        var description = Describe();
        await Task.WhenAll(Partitions().Select(partition => partition.RefreshAsync(description)));
        LogConfigsAltered(Name, changes.Keys);
        return description;
    }

    public async Task<TopicDescription> AddPartitionsAsync(int totalPartitions)
    {
        var current = Existing().Partitions;
        if (totalPartitions <= current)
        {
            throw new OrlogException(ErrorCode.InvalidPartitions, $"Topic '{Name}' has {current} partitions; the new count must be larger, got {totalPartitions}.");
        }

        ValidatePartitionCount(totalPartitions);
        state.State.Partitions = totalPartitions;
        await state.WriteStateAsync();
        await AssignAsync(totalPartitions, state.State.ReplicationFactor, state.State.Configs);
        LogPartitionsAdded(Name, current, totalPartitions);
        return Describe();
    }

    public async Task DeleteAsync()
    {
        Existing();
        await Task.WhenAll(Partitions().Select(partition => partition.DeleteDataAsync()));
        await Controller.RemoveTopicAsync(Name);
        await state.ClearStateAsync();
        state.State = new TopicState();
        await GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).RemoveAsync(Name);
        LogDeleted(Name);
        DeactivateOnIdle();
    }

    /// <summary>Has the controller place the partitions it has not placed yet, and tells it how the topic's leaders may be chosen.</summary>
    private Task AssignAsync(int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs) =>
        Controller.AssignAsync(Name, partitions, replicationFactor, TopicConfigs.ToReplicationConfig(configs).UncleanLeaderElection);

    private TopicState Existing() =>
        state.State.Exists
            ? state.State
            : throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"Topic '{Name}' does not exist.");

    private TopicDescription Describe()
    {
        var topic = Existing();
        return new TopicDescription(Name, topic.Partitions, topic.ReplicationFactor, new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal), topic.CreatedAt);
    }

    private IEnumerable<IPartitionControlGrain> Partitions()
    {
        for (var partition = 0; partition < state.State.Partitions; partition++)
        {
            yield return GrainFactory.GetGrain<IPartitionControlGrain>(PartitionKey.Format(Name, partition));
        }
    }

    private static void ValidatePartitionCount(int partitions)
    {
        if (partitions is < 1 or > MaxPartitions)
        {
            throw new OrlogException(ErrorCode.InvalidPartitions, $"A topic needs 1 to {MaxPartitions} partitions; got {partitions}.");
        }
    }

    /// <summary>-1 asks for the broker default (1), as in Kafka; the controller checks that enough brokers are live.</summary>
    private static short ValidateReplicationFactor(short replicationFactor) => replicationFactor switch
    {
        -1 => 1,
        >= 1 => replicationFactor,
        _ => throw new OrlogException(ErrorCode.InvalidReplicationFactor, $"Replication factor must be at least 1 (or -1 for the default); got {replicationFactor}."),
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partition(s), replication factor {ReplicationFactor}")]
    private partial void LogCreated(string topic, int partitions, short replicationFactor);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Altered configs {Configs} of topic {Topic}")]
    private partial void LogConfigsAltered(string topic, IEnumerable<string> configs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Topic {Topic} grew from {From} to {To} partitions")]
    private partial void LogPartitionsAdded(string topic, int from, int to);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Deleted topic {Topic} and its data")]
    private partial void LogDeleted(string topic);
}
