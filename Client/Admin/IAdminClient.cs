using Orlog.Groups;
using Orlog.Topics;

namespace Orlog.Client;

/// <summary>
/// Manages topics, their data and consumer groups (Confluent.Kafka's <c>IAdminClient</c>). Thread-safe.
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

    /// <summary>The ids of all consumer groups, sorted.</summary>
    Task<IReadOnlyList<string>> ListConsumerGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>State, assignor, generation, members, and per partition the committed offset, log end offset and lag (kafka-consumer-groups --describe).</summary>
    /// <exception cref="Errors.OrlogException">INVALID_GROUP_ID, GROUP_ID_NOT_FOUND (no members and no committed offsets).</exception>
    Task<GroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the groups and their committed offsets; only groups without members.</summary>
    /// <exception cref="Errors.OrlogException">INVALID_GROUP_ID, NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND.</exception>
    Task DeleteConsumerGroupsAsync(IEnumerable<string> groupIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// kafka-consumer-groups --reset-offsets: sets the group's committed offset of every partition of
    /// <paramref name="topic"/> to where <paramref name="spec"/> says (clamped into each partition's
    /// log), all partitions in one change. Returns the new offsets, sorted by partition.
    /// </summary>
    /// <param name="dryRun">Compute the offsets without changing anything (the tool's default without <c>--execute</c>).</param>
    /// <remarks>
    /// Only a group without members can be reset: its consumers would overwrite the offsets with
    /// their next commit. A group that does not exist yet is created with these offsets.
    /// </remarks>
    /// <exception cref="Errors.OrlogException">
    /// INVALID_GROUP_ID, INVALID_TOPIC, UNKNOWN_TOPIC_OR_PARTITION, NON_EMPTY_GROUP (also for a dry
    /// run, as Kafka's tool; nothing changes).
    /// </exception>
    Task<IReadOnlyList<TopicPartitionOffset>> ResetConsumerGroupOffsetsAsync(string groupId, string topic, OffsetResetSpec spec, bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>Every broker the cluster has seen: id, zone, address when live, and the partitions it holds and leads.</summary>
    Task<IReadOnlyList<Cluster.BrokerDescription>> DescribeBrokersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves partitions to other brokers (Kafka's AlterPartitionReassignments), each to the replica list given, the
    /// preferred leader first. The new replicas copy the leader's local log (older segments are in the remote tier)
    /// while the partition keeps serving; once all of them are in sync the partition keeps only them, the first leads,
    /// and the brokers it left delete their copies. Returns once every move has started; <see cref="DescribePartitionsAsync"/>
    /// shows a partition's target until its move completes.
    /// </summary>
    /// <exception cref="Errors.OrlogException">
    /// UNKNOWN_TOPIC_OR_PARTITION; INVALID_REPLICA_ASSIGNMENT for an empty list, a broker named twice or one not live;
    /// REASSIGNMENT_IN_PROGRESS while the partition is being moved already. The first failure in input order; the other moves still start.
    /// </exception>
    Task AlterPartitionReassignmentsAsync(IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>> reassignments, CancellationToken cancellationToken = default);

    /// <summary>Each partition of <paramref name="topic"/> with its leader broker, replicas, and whether it is online.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC.</exception>
    Task<IReadOnlyList<PartitionPlacementDescription>> DescribePartitionsAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>The silos of the cluster and their Orleans membership status, dead ones included.</summary>
    Task<IReadOnlyList<SiloDescription>> DescribeClusterAsync(CancellationToken cancellationToken = default);
}
