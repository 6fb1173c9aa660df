namespace Orlog.Groups.Assignment;

/// <summary>
/// Kafka's <c>range</c> strategy: each topic on its own, its partitions cut into contiguous
/// ranges over the members that subscribe to it, the first <c>n % m</c> members one longer.
/// </summary>
/// <remarks>
/// Co-partitioned topics end up with the same partition numbers on the same member, which is
/// what joins need; the price is imbalance across topics, as the first members get the extra
/// partition of every topic.
/// </remarks>
public sealed class RangeAssignor : IPartitionAssignor
{
    public const string KafkaName = "range";

    public string Name => KafkaName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(AssignmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var members = input.SortedMembers();
        var assigned = members.ToDictionary(member => member.MemberId, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        foreach (var topic in input.SubscribedTopics())
        {
            var subscribers = members.Where(member => member.Topics.Contains(topic, StringComparer.Ordinal)).ToList();
            var partitions = input.PartitionCount(topic);
            var perMember = partitions / subscribers.Count;
            var withExtra = partitions % subscribers.Count;
            for (var i = 0; i < subscribers.Count; i++)
            {
                var start = (i * perMember) + Math.Min(i, withExtra);
                var length = perMember + (i < withExtra ? 1 : 0);
                for (var partition = start; partition < start + length; partition++)
                {
                    assigned[subscribers[i].MemberId].Add(new TopicPartition(topic, partition));
                }
            }
        }

        return AssignmentInput.Result(members, assigned);
    }
}
