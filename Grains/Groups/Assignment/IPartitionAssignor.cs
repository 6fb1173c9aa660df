namespace Orlog.Groups.Assignment;

/// <summary>
/// Decides which member of a consumer group consumes which partition, as Kafka's
/// <c>ConsumerPartitionAssignor</c> does. Implementations are pure and stateless.
/// </summary>
public interface IPartitionAssignor
{
    /// <summary>Kafka's name for the strategy: <c>range</c>, <c>roundrobin</c>, <c>cooperative-sticky</c>.</summary>
    string Name { get; }

    /// <summary>The rebalance protocol the strategy supports.</summary>
    RebalanceProtocol Protocol { get; }

    /// <summary>Computes the group's target assignment.</summary>
    /// <returns>
    /// An entry for every member (an empty list when it gets nothing), each list ordered by topic
    /// (ordinal) then partition. Every partition of every topic some member subscribes to goes to
    /// exactly one member that subscribes to that topic. The same input gives the same output
    /// whatever the order of the members and of their topics.
    /// </returns>
    IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(AssignmentInput input);
}
