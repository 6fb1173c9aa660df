using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orlog.Client;
using Orlog.Errors;

namespace Orlog.Streams;

/// <summary>
/// The provider's topics on a silo: their partition counts (the provider's queues), and the creation of
/// topics that do not exist yet with the options' partitions, replication factor and configs.
/// </summary>
/// <remarks>
/// The first silo of a cluster cannot create a topic whose replication factor needs more brokers than are
/// live. Its queues then assume <see cref="OrlogStreamOptions.PartitionsForNewTopics"/>, and the topic
/// stays pending: receivers ask for it again (<see cref="EnsureExistsAsync"/>) until enough brokers have joined.
/// </remarks>
internal sealed partial class StreamTopics(string provider, OrlogStreamOptions options, OrlogClient client, ILogger logger)
{
    private readonly ConcurrentDictionary<string, bool> _pending = new(StringComparer.Ordinal);

    /// <summary>The partition count of each of the provider's topics; topics that do not exist are created (or left pending).</summary>
    public async Task<Dictionary<string, int>> PartitionCountsAsync()
    {
        await using var admin = Admin();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in options.Topics)
        {
            counts[topic] = await PartitionCountAsync(admin, topic).ConfigureAwait(false);
        }

        var queues = counts.Values.Sum();
        var topics = string.Join(", ", counts.Select(c => $"{c.Key} ({c.Value})"));
        LogQueues(provider, queues, topics);
        return counts;
    }

    /// <summary>Creates <paramref name="topic"/> if it is still pending; throws what the creation was refused with.</summary>
    public async Task EnsureExistsAsync(string topic)
    {
        if (!_pending.ContainsKey(topic))
        {
            return;
        }

        await using var admin = Admin();
        var partitions = await CreateAsync(admin, topic).ConfigureAwait(false);
        _pending.TryRemove(topic, out _);
        if (partitions != options.PartitionsForNewTopics)
        {
            LogPartitionsDiffer(provider, topic, partitions, options.PartitionsForNewTopics);
        }
    }

    private async Task<int> PartitionCountAsync(IAdminClient admin, string topic)
    {
        try
        {
            return await DescribeAsync(admin, topic).ConfigureAwait(false);
        }
        catch (OrlogException missing) when (missing.Code == ErrorCode.UnknownTopicOrPartition)
        {
            try
            {
                return await CreateAsync(admin, topic).ConfigureAwait(false);
            }
            catch (OrlogException refused) when (refused.Code == ErrorCode.InvalidReplicationFactor)
            {
                _pending[topic] = true;
                LogTopicPending(provider, topic, options.PartitionsForNewTopics, refused.Message);
                return options.PartitionsForNewTopics;
            }
        }
    }

    /// <summary>Creates the topic as the options say; returns its partitions (those of the existing topic when another silo was first).</summary>
    private async Task<int> CreateAsync(IAdminClient admin, string topic)
    {
        try
        {
            var spec = new TopicSpecification
            {
                Name = topic,
                NumPartitions = options.PartitionsForNewTopics,
                ReplicationFactor = options.ReplicationFactorForNewTopics,
                Configs = new Dictionary<string, string>(options.ConfigsForNewTopics),
            };
            var created = (await admin.CreateTopicsAsync([spec]).ConfigureAwait(false))[0].Partitions;
            LogTopicCreated(provider, topic, created);
            return created;
        }
        catch (OrlogException raced) when (raced.Code == ErrorCode.TopicAlreadyExists)
        {
            return await DescribeAsync(admin, topic).ConfigureAwait(false);
        }
    }

    private static async Task<int> DescribeAsync(IAdminClient admin, string topic) =>
        (await admin.DescribeTopicsAsync([topic]).ConfigureAwait(false))[0].Partitions;

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig()).SetClient(client).Build();

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Stream provider {Provider}: {Queues} queues, the partitions of {Topics}")]
    private partial void LogQueues(string provider, int queues, string topics);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Stream provider {Provider}: created topic {Topic} with {Partitions} partitions")]
    private partial void LogTopicCreated(string provider, string topic, int partitions);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "Stream provider {Provider}: topic {Topic} cannot be created yet ({Reason}); its {Partitions} queues wait until enough brokers have joined")]
    private partial void LogTopicPending(string provider, string topic, int partitions, string reason);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Error, Message = "Stream provider {Provider}: topic {Topic} has {Partitions} partitions but this silo's queues assume {Assumed}; restart the silo to read all of them")]
    private partial void LogPartitionsDiffer(string provider, string topic, int partitions, int assumed);
}
