using Orleans;
using Orleans.Concurrency;

namespace Orlog.Topics;

/// <summary>
/// A topic (key: the topic name): its spec, kept in grain storage so it survives restarts.
/// Every failure is an <see cref="Errors.OrlogException"/> with a Kafka-style code.
/// </summary>
[Alias("orlog.topic")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <exception cref="Errors.OrlogException">INVALID_TOPIC, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG, TOPIC_ALREADY_EXISTS.</exception>
    [Alias("create")]
    Task<TopicDescription> CreateAsync(TopicSpec spec);

    /// <remarks>Interleaves with other calls, so partitions can ask while the topic is busy.</remarks>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION.</exception>
    [Alias("describe")]
    [AlwaysInterleave]
    Task<TopicDescription> DescribeAsync();

    /// <summary>Sets the given configs (others keep their values); a value of null removes a config.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG.</exception>
    [Alias("alter-configs")]
    Task<TopicDescription> AlterConfigsAsync(IReadOnlyDictionary<string, string?> changes);

    /// <summary>Raises the partition count to <paramref name="totalPartitions"/>.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS (not more than now).</exception>
    [Alias("add-partitions")]
    Task<TopicDescription> AddPartitionsAsync(int totalPartitions);

    /// <summary>Deletes the topic and all its data.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION.</exception>
    [Alias("delete")]
    Task DeleteAsync();
}
