using Orleans;

namespace Orlog.Cluster;

/// <summary>
/// The cluster's controller (one grain, key <see cref="Key"/>): the brokers it has seen, and for each
/// partition its replica list (the first replica leads). Kept durably in the metadata storage.
/// </summary>
[Alias("orlog.controller")]
public interface IControllerGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>
    /// Gives every partition of <paramref name="topic"/> below <paramref name="partitions"/> that has none
    /// a replica list of <paramref name="replicationFactor"/> live brokers, spread evenly (and over zones);
    /// returns the replica lists of all of them.
    /// </summary>
    /// <exception cref="Errors.OrlogException">INVALID_REPLICATION_FACTOR when fewer brokers are live than it asks for.</exception>
    [Alias("assign")]
    Task<IReadOnlyList<int[]>> AssignAsync(string topic, int partitions, short replicationFactor);

    /// <summary>The replica lists of the topic's partitions (empty for a topic never assigned).</summary>
    [Alias("replicas")]
    Task<IReadOnlyList<int[]>> ReplicasAsync(string topic);

    /// <summary>
    /// The broker leading <paramref name="partition"/>; -1 when the controller has no replica list for
    /// it (no such topic or partition, or a topic made before the cluster had a controller: its topic
    /// grain assigns it when it activates).
    /// </summary>
    [Alias("leader")]
    Task<int> LeaderAsync(TopicPartition partition);

    /// <summary>Forgets a deleted topic's replica lists.</summary>
    [Alias("remove-topic")]
    Task RemoveTopicAsync(string topic);

    /// <summary>Every broker seen, live or not, with what it holds.</summary>
    [Alias("brokers")]
    Task<IReadOnlyList<BrokerDescription>> DescribeBrokersAsync();
}
