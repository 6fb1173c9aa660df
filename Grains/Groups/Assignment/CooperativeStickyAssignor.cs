namespace Orlog.Groups.Assignment;

/// <summary>
/// Kafka's <c>cooperative-sticky</c> strategy (KIP-341, KIP-429): a balanced assignment that
/// moves as few partitions as it can away from the members that already own them, so that a
/// cooperative rebalance revokes only those.
/// </summary>
/// <remarks>
/// <para>Members are taken in <see cref="AssignmentMember"/> order (static by instance id, then
/// dynamic by member id); a member is eligible for a partition when it subscribes to its topic.</para>
/// <list type="number">
/// <item>Keep: each member starts from its <see cref="AssignmentMember.Current"/>, less the
/// partitions that no longer exist, whose topic it no longer subscribes to, or that an earlier
/// member (in member order) already kept.</item>
/// <item>Fill: every partition left over, in topic-then-partition order, goes to the eligible
/// member with the fewest partitions (ties: member order).</item>
/// <item>Balance: while some member <c>a</c> owns a partition that an eligible member <c>b</c> with
/// <c>count(b) &lt; count(a) - 1</c> could take, move one: <c>a</c> is the member with the most
/// partitions that has such a move (ties: member order), <c>b</c> the one with the fewest
/// (ties: member order), the partition <c>a</c>'s first in topic-then-partition order that
/// <c>b</c> subscribes to. Each move lowers the sum of the squared counts, so this ends.</item>
/// </list>
/// <para>When all members subscribe to the same topics the counts end up differing by at most one,
/// and only partitions of members above their fair share move. With different subscriptions the
/// balance step is a local search: no single move improves it, which is not always the best
/// balance possible. Computing the target is all this does; revoking moved partitions before
/// their new owner gets them is the coordinator's job under <see cref="RebalanceProtocol.Cooperative"/>.</para>
/// </remarks>
public sealed class CooperativeStickyAssignor : IPartitionAssignor
{
    public const string KafkaName = "cooperative-sticky";

    public string Name => KafkaName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Cooperative;

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(AssignmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var members = input.SortedMembers();
        var subscriptions = members.Select(member => member.Topics.ToHashSet(StringComparer.Ordinal)).ToArray();
        var owned = members.Select(_ => new SortedSet<TopicPartition>()).ToArray();

        var kept = Keep(input, members, subscriptions, owned);
        Fill(input, subscriptions, owned, kept);
        Balance(subscriptions, owned);

        var assigned = new Dictionary<string, List<TopicPartition>>(StringComparer.Ordinal);
        for (var i = 0; i < members.Count; i++)
        {
            assigned[members[i].MemberId] = [.. owned[i]];
        }

        return AssignmentInput.Result(members, assigned);
    }

    private static HashSet<TopicPartition> Keep(
        AssignmentInput input, IReadOnlyList<AssignmentMember> members, HashSet<string>[] subscriptions, SortedSet<TopicPartition>[] owned)
    {
        var kept = new HashSet<TopicPartition>();
        for (var i = 0; i < members.Count; i++)
        {
            foreach (var partition in members[i].Current)
            {
                var exists = partition.Partition >= 0 && partition.Partition < input.PartitionCount(partition.Topic);
                if (exists && subscriptions[i].Contains(partition.Topic) && kept.Add(partition))
                {
                    owned[i].Add(partition);
                }
            }
        }

        return kept;
    }

    private static void Fill(
        AssignmentInput input, HashSet<string>[] subscriptions, SortedSet<TopicPartition>[] owned, HashSet<TopicPartition> kept)
    {
        foreach (var partition in input.SubscribedPartitions())
        {
            if (kept.Contains(partition))
            {
                continue;
            }

            // Strictly fewer wins, so on a tie the earlier member in member order keeps the partition.
            var best = -1;
            for (var i = 0; i < owned.Length; i++)
            {
                if (subscriptions[i].Contains(partition.Topic) && (best < 0 || owned[i].Count < owned[best].Count))
                {
                    best = i;
                }
            }

            owned[best].Add(partition);
        }
    }

    private static void Balance(HashSet<string>[] subscriptions, SortedSet<TopicPartition>[] owned)
    {
        var members = Enumerable.Range(0, owned.Length).ToArray();
        while (TryFindMove(members, subscriptions, owned, out var from, out var to, out var partition))
        {
            owned[from].Remove(partition);
            owned[to].Add(partition);
        }
    }

    private static bool TryFindMove(
        int[] members, HashSet<string>[] subscriptions, SortedSet<TopicPartition>[] owned, out int from, out int to, out TopicPartition partition)
    {
        // Index order is member order; OrderBy is stable, so it breaks the ties.
        var donors = members.OrderByDescending(i => owned[i].Count).ToArray();
        var receivers = members.OrderBy(i => owned[i].Count).ToArray();
        foreach (var donor in donors)
        {
            foreach (var receiver in receivers)
            {
                if (owned[receiver].Count >= owned[donor].Count - 1)
                {
                    break;
                }

                foreach (var candidate in owned[donor])
                {
                    if (subscriptions[receiver].Contains(candidate.Topic))
                    {
                        (from, to, partition) = (donor, receiver, candidate);
                        return true;
                    }
                }
            }
        }

        (from, to, partition) = (-1, -1, default);
        return false;
    }
}
