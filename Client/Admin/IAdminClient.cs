using Orlog.Topics;

namespace Orlog.Client;

/// <summary>
/// Manages topics and their data (Confluent.Kafka's <c>IAdminClient</c>). Thread-safe.
/// </summary>
/// <remarks>
/// Operations on several topics or partitions run concurrently, one per item. If some fail, the
/// call throws the first failure (in input order) once all have finished, and the others have
/// taken effect. Every failure is an <see cref="Errors.OrlogException"/> with a Kafka-style code.
/// </remarks>
public interface IAdminClient : IDisposable, IAsyncDisposable
{
    /// <exception cref="Errors.OrlogException">INVALID_TOPIC, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG, TOPIC_ALREADY_EXISTS.</exception>
    Task<IReadOnlyList<TopicDescription>> CreateTopicsAsync(IEnumerable<TopicSpecification> topics, CancellationToken cancellationToken = default);

    /// <summary>The names of all topics, sorted.</summary>
    Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default);

    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION.</exception>
    Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default);

    /// <summary>Sets the given topic configs (Kafka's incremental alter); a null value removes a config.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG.</exception>
    Task<TopicDescription> AlterConfigsAsync(string topic, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken = default);

    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS (not more than now).</exception>
    Task<IReadOnlyList<TopicDescription>> CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitions, CancellationToken cancellationToken = default);

    /// <summary>Deletes the topics and all their data.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION.</exception>
    Task DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default);

    /// <summary>Kafka's DeleteRecords: moves each partition's log start up to the offset (<see cref="Offset.End"/>: the high watermark).</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE.</exception>
    Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);

    /// <summary>The silos (brokers) of the cluster and their membership status, dead ones included.</summary>
    Task<IReadOnlyList<SiloDescription>> DescribeClusterAsync(CancellationToken cancellationToken = default);
}
