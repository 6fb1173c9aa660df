namespace Orlog.Groups.Assignment;

/// <summary>
/// Kafka's <c>roundrobin</c> strategy: all partitions of all subscribed topics, by topic then
/// partition, dealt out to the members in a circle; a partition goes to the next member in the
/// circle that subscribes to its topic, and the deal continues after that member.
/// </summary>
/// <remarks>
/// When every member subscribes to the same topics the counts differ by at most one, across
/// topics and not only within each as with <see cref="RangeAssignor"/>.
/// </remarks>
public sealed class RoundRobinAssignor : IPartitionAssignor
{
    public const string KafkaName = "roundrobin";

    public string Name => KafkaName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(AssignmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var members = input.SortedMembers();
        var subscriptions = members.Select(member => member.Topics.ToHashSet(StringComparer.Ordinal)).ToList();
        var assigned = members.ToDictionary(member => member.MemberId, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        var next = 0;
        foreach (var partition in input.SubscribedPartitions())
        {
            // Some member subscribes to every topic here, so this stops within one turn of the circle.
            while (!subscriptions[next].Contains(partition.Topic))
            {
                next = (next + 1) % members.Count;
            }

            assigned[members[next].MemberId].Add(partition);
            next = (next + 1) % members.Count;
        }

        return AssignmentInput.Result(members, assigned);
    }
}
