namespace Orlog.Groups.Assignment;

/// <summary>What a partition assignor works from: the group's members and the size of every topic.</summary>
/// <param name="Members">The members, in any order; member ids are unique.</param>
/// <param name="PartitionCounts">
/// Topic → number of partitions. A subscribed topic missing from it, or with 0, has no partitions to assign.
/// </param>
public sealed record AssignmentInput(IReadOnlyList<AssignmentMember> Members, IReadOnlyDictionary<string, int> PartitionCounts)
{
    /// <summary>The members in <see cref="AssignmentMember.Order"/>.</summary>
    /// <exception cref="ArgumentException">Two members share a member id.</exception>
    internal IReadOnlyList<AssignmentMember> SortedMembers()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in Members)
        {
            if (!ids.Add(member.MemberId))
            {
                throw new ArgumentException($"Member '{member.MemberId}' appears twice in the assignment input.", nameof(Members));
            }
        }

        return [.. Members.Order(AssignmentMember.Order)];
    }

    /// <summary>The number of partitions of <paramref name="topic"/>; 0 for an unknown topic.</summary>
    internal int PartitionCount(string topic) =>
        PartitionCounts.TryGetValue(topic, out var count) ? Math.Max(count, 0) : 0;

    /// <summary>Every topic at least one member subscribes to, ordinal order.</summary>
    internal IReadOnlyList<string> SubscribedTopics() =>
        [.. Members.SelectMany(member => member.Topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every partition of every subscribed topic, in <see cref="TopicPartition"/> order.</summary>
    internal IReadOnlyList<TopicPartition> SubscribedPartitions() =>
        [.. SubscribedTopics().SelectMany(topic => Enumerable.Range(0, PartitionCount(topic)).Select(partition => new TopicPartition(topic, partition)))];

    /// <summary>The result shape every assignor returns: an entry per member, each list in <see cref="TopicPartition"/> order.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Result(
        IEnumerable<AssignmentMember> members, IReadOnlyDictionary<string, List<TopicPartition>> assigned)
    {
        var result = new Dictionary<string, IReadOnlyList<TopicPartition>>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            result[member.MemberId] = assigned.TryGetValue(member.MemberId, out var partitions)
                ? [.. partitions.Order()]
                : [];
        }

        return result;
    }
}
