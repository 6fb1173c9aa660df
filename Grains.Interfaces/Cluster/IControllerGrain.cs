using Orleans;

namespace Orlog.Cluster;

/// <summary>
/// The cluster's controller (one grain, key <see cref="Key"/>): the brokers it has seen and, for each
/// partition, its replicas, leader, leader epoch and in-sync replicas. Kept durably in the metadata
/// storage. It elects leaders when brokers die or return and restores preferred leaders.
/// </summary>
[Alias("orlog.controller")]
public interface IControllerGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>
    /// Gives every partition of <paramref name="topic"/> below <paramref name="partitions"/> that has none
    /// a replica list of <paramref name="replicationFactor"/> live brokers, spread evenly (and over zones),
    /// and records whether the topic allows an out-of-sync replica to lead (<c>unclean.leader.election.enable</c>).
    /// </summary>
    /// <exception cref="Errors.OrlogException">INVALID_REPLICATION_FACTOR when fewer brokers are live than it asks for.</exception>
    [Alias("assign")]
    Task AssignAsync(string topic, int partitions, short replicationFactor, bool uncleanLeaderElection);

    /// <summary>The leadership of each of the topic's partitions (empty for a topic never assigned).</summary>
    [Alias("partitions")]
    Task<IReadOnlyList<PartitionLeadership>> PartitionsAsync(string topic);

    /// <summary>
    /// The leadership of <paramref name="partition"/>; null when the controller has none (no such topic or
    /// partition, or a topic made before the cluster had a controller: its topic grain assigns it when it activates).
    /// </summary>
    [Alias("leadership")]
    Task<PartitionLeadership?> LeadershipAsync(TopicPartition partition);

    /// <summary>
    /// The leader changes the ISR (Kafka's AlterPartition): applied when <paramref name="leaderEpoch"/> and
    /// <paramref name="version"/> are current, ignored when another change came first. Returns the leadership
    /// in force afterwards, which may name a new leader (the preferred one, back in sync).
    /// </summary>
    /// <exception cref="Errors.OrlogException">FENCED_LEADER_EPOCH when the caller no longer leads; INVALID_REQUEST for an ISR that is not a subset of the replicas with the leader in it.</exception>
    [Alias("alter-isr")]
    Task<PartitionLeadership> AlterIsrAsync(TopicPartition partition, int leaderEpoch, int version, int[] isr);

    /// <summary>
    /// Moves <paramref name="partition"/> to <paramref name="replicas"/> (Kafka's AlterPartitionReassignments): the new
    /// replicas join as followers and copy the leader's local log; once all of them are in sync the partition keeps
    /// only them and the first leads. Returns the leadership in force afterwards (with its target while it runs).
    /// </summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION; INVALID_REPLICA_ASSIGNMENT for an empty list, a broker twice or one not live; REASSIGNMENT_IN_PROGRESS.</exception>
    [Alias("reassign")]
    Task<PartitionLeadership> ReassignAsync(TopicPartition partition, int[] replicas);

    /// <summary>Brokers joined or left (Orleans membership changed): elect leaders where needed. Returns the live brokers the controller saw.</summary>
    [Alias("brokers-changed")]
    Task<int[]> BrokersChangedAsync();

    /// <summary>A new producer id for an idempotent producer (Kafka's InitProducerId), never given out before.</summary>
    [Alias("init-producer-id")]
    Task<long> InitProducerIdAsync();

    /// <summary>Forgets a deleted topic's partitions.</summary>
    [Alias("remove-topic")]
    Task RemoveTopicAsync(string topic);

    /// <summary>Every broker seen, live or not, with what it holds.</summary>
    [Alias("brokers")]
    Task<IReadOnlyList<BrokerDescription>> DescribeBrokersAsync();
}
