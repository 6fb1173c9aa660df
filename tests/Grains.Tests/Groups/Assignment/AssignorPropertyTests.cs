using CsCheck;
using Xunit;
using static Orlog.Groups.Assignment.AssignmentText;

namespace Orlog.Groups.Assignment;

/// <summary>
/// Random groups run through every assignor: coverage, ownership by subscribers only,
/// determinism under reordering, balance, and the sticky assignor's stickiness.
/// </summary>
public sealed class AssignorPropertyTests
{
    /// <summary>Topic names whose ordinal order differs from culture order ("Orders" before "orders").</summary>
    private static readonly string[] TopicNames = ["orders", "Orders", "t-1", "t_0"];

    /// <summary>A topic members may subscribe to that has no partition count.</summary>
    private const string Ghost = "ghost";

    private static readonly IPartitionAssignor[] Assignors = [new RangeAssignor(), new RoundRobinAssignor(), new CooperativeStickyAssignor()];

    private static Gen<MemberSpec> GenMember(int topicCount) =>
        from subscription in Gen.Int[0, (1 << (topicCount + 1)) - 1]
        from instance in Gen.Int[-1, 20]
        from current in Gen.Select(Gen.Int[0, topicCount], Gen.Int[-1, 42]).Array[0, 8]
        select new MemberSpec(subscription, instance, current);

    /// <summary>Any group: subscriptions (possibly empty, possibly to the ghost topic) and a Current of valid and invalid partitions.</summary>
    private static readonly Gen<Scenario> GenScenario =
        from topicCount in Gen.Int[1, 4]
        from counts in Gen.Int[-1, 40].Array[topicCount]
        from members in GenMember(topicCount).Array[1, 12]
        from seed in Gen.Int
        select new Scenario(counts, members, seed);

    /// <summary>Every member subscribes to the same topics; Current is still arbitrary.</summary>
    private static readonly Gen<Scenario> GenIdentical =
        from scenario in GenScenario
        from subscription in Gen.Int[1, (1 << scenario.Counts.Length) - 1]
        select scenario with { Members = [.. scenario.Members.Select(member => member with { Subscription = subscription })] };

    /// <summary>Identical subscriptions and a valid Current: each partition owned by one random member or by none.</summary>
    private static readonly Gen<Scenario> GenValidCurrent =
        from scenario in GenIdentical
        from balanced in Gen.Bool
        select scenario with { ValidCurrent = balanced ? CurrentKind.CompleteAndBalanced : CurrentKind.Partial };

    [Fact]
    public void EveryPartitionOfASubscribedTopic_IsAssignedExactlyOnce_ToASubscriber() =>
        GenScenario.Sample(scenario =>
        {
            var input = scenario.ToInput();
            foreach (var assignor in Assignors)
            {
                CheckCoverage(input, assignor.Assign(input), assignor.Name);
            }
        }, iter: 400, print: scenario => scenario.ToString());

    [Fact]
    public void SameInputInAnotherOrder_GivesTheSameAssignment() =>
        GenScenario.Sample(scenario =>
        {
            var input = scenario.ToInput();
            var shuffled = Shuffle(input, scenario.Seed);
            foreach (var assignor in Assignors)
            {
                Assert.Equal(Render(assignor.Assign(input)), Render(assignor.Assign(shuffled)));
            }
        }, iter: 400, print: scenario => scenario.ToString());

    [Fact]
    public void IdenticalSubscriptions_RoundRobinAndStickyCountsDifferByAtMostOne() =>
        GenIdentical.Sample(scenario =>
        {
            var input = scenario.ToInput();
            foreach (var assignor in new IPartitionAssignor[] { new RoundRobinAssignor(), new CooperativeStickyAssignor() })
            {
                var counts = assignor.Assign(input).Values.Select(partitions => partitions.Count).ToList();
                Assert.True(counts.Max() - counts.Min() <= 1, $"{assignor.Name}: counts {string.Join(", ", counts)}");
            }
        }, iter: 400, print: scenario => scenario.ToString());

    [Fact]
    public void IdenticalSubscriptions_RangeCountsDifferByAtMostOneWithinEachTopic() =>
        GenIdentical.Sample(scenario =>
        {
            // Not across topics: range gives the first members the extra partition of every topic.
            var input = scenario.ToInput();
            var result = new RangeAssignor().Assign(input);
            foreach (var topic in input.Members[0].Topics)
            {
                var counts = result.Values.Select(partitions => partitions.Count(partition => partition.Topic == topic)).ToList();
                Assert.True(counts.Max() - counts.Min() <= 1, $"{topic}: counts {string.Join(", ", counts)}");
            }
        }, iter: 400, print: scenario => scenario.ToString());

    [Fact]
    public void Sticky_BalancedValidCurrent_NothingMoves() =>
        GenValidCurrent.Where(scenario => scenario.ValidCurrent == CurrentKind.CompleteAndBalanced).Sample(scenario =>
        {
            var input = scenario.ToInput();
            var result = new CooperativeStickyAssignor().Assign(input);
            Assert.All(input.Members, member => Assert.Equal(Sorted(member.Current), result[member.MemberId]));
        }, iter: 300, print: scenario => scenario.ToString());

    [Fact]
    public void Sticky_ValidCurrent_EachMemberOnlyGainsOrOnlyLoses_AndTheFewestPartitionsMove() =>
        GenValidCurrent.Sample(scenario =>
        {
            var input = scenario.ToInput();
            var result = new CooperativeStickyAssignor().Assign(input);
            var moved = 0;
            foreach (var member in input.Members)
            {
                var before = member.Current.ToHashSet();
                var after = result[member.MemberId].ToHashSet();
                Assert.True(before.IsSubsetOf(after) || after.IsSubsetOf(before), $"{member.MemberId} both gained and lost partitions");
                moved += before.Count(partition => !after.Contains(partition));
            }

            Assert.Equal(FewestMoves(input), moved);
        }, iter: 300, print: scenario => scenario.ToString());

    /// <summary>
    /// The least number of owned partitions that must change owner for counts to differ by at most
    /// one: the members owning most keep the larger shares, and whatever a member owns beyond its
    /// share must go.
    /// </summary>
    private static int FewestMoves(AssignmentInput input)
    {
        var total = input.Members[0].Topics.Sum(input.PartitionCount);
        var share = total / input.Members.Count;
        var larger = total % input.Members.Count;
        return input.Members
            .Select(member => member.Current.Count)
            .OrderDescending()
            .Select((owned, rank) => Math.Max(0, owned - (share + (rank < larger ? 1 : 0))))
            .Sum();
    }

    private static void CheckCoverage(AssignmentInput input, IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> result, string assignor)
    {
        Assert.Equal(
            input.Members.Select(member => member.MemberId).Order(StringComparer.Ordinal),
            result.Keys.Order(StringComparer.Ordinal));

        var expected = input.Members
            .SelectMany(member => member.Topics)
            .Distinct()
            .SelectMany(topic => Enumerable.Range(0, input.PartitionCounts.GetValueOrDefault(topic)).Select(partition => new TopicPartition(topic, partition)))
            .ToHashSet();
        var owners = new Dictionary<TopicPartition, string>();
        foreach (var member in input.Members)
        {
            var partitions = result[member.MemberId];
            Assert.Equal(Sorted(partitions), partitions);
            foreach (var partition in partitions)
            {
                Assert.True(owners.TryAdd(partition, member.MemberId), $"{assignor}: {partition} given to {owners.GetValueOrDefault(partition)} and {member.MemberId}");
                Assert.True(member.Topics.Contains(partition.Topic), $"{assignor}: {partition} given to {member.MemberId}, which does not subscribe to it");
            }
        }

        Assert.True(expected.SetEquals(owners.Keys), $"{assignor}: assigned {owners.Count} partitions, expected {expected.Count}");
    }

    private static List<TopicPartition> Sorted(IEnumerable<TopicPartition> partitions) =>
        [.. partitions.OrderBy(partition => partition.Topic, StringComparer.Ordinal).ThenBy(partition => partition.Partition)];

    /// <summary>The same group with its members, their topics and their Current listed in another order.</summary>
    private static AssignmentInput Shuffle(AssignmentInput input, int seed)
    {
        var random = new Random(seed);
        var members = input.Members
            .Select(member => member with { Topics = Shuffled(random, member.Topics), Current = Shuffled(random, member.Current) })
            .ToArray();
        random.Shuffle(members);
        return input with { Members = members };
    }

    private static T[] Shuffled<T>(Random random, IEnumerable<T> items)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return array;
    }

    private enum CurrentKind
    {
        /// <summary>Each member's Current as generated: valid and invalid partitions, claims by several members.</summary>
        Arbitrary,

        /// <summary>Every partition owned by exactly one random member, or by none.</summary>
        Partial,

        /// <summary>Every partition owned by exactly one member, counts differing by at most one.</summary>
        CompleteAndBalanced,
    }

    /// <summary>A member as generated: subscription as a bit set over the topics (the bit after the last is the ghost topic).</summary>
    private sealed record MemberSpec(int Subscription, int Instance, (int Topic, int Partition)[] Current);

    /// <summary>A generated group: partition counts per topic (-1: missing from PartitionCounts), members, a seed for reordering.</summary>
    private sealed record Scenario(int[] Counts, MemberSpec[] Members, int Seed, CurrentKind ValidCurrent = CurrentKind.Arbitrary)
    {
        public AssignmentInput ToInput()
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var topic = 0; topic < Counts.Length; topic++)
            {
                if (Counts[topic] >= 0)
                {
                    counts[TopicNames[topic]] = Counts[topic];
                }
            }

            var members = Members.Select((spec, index) => new AssignmentMember(
                $"m{index}",
                spec.Instance < 0 ? null : $"i{spec.Instance}",
                [.. Enumerable.Range(0, Counts.Length + 1).Where(bit => (spec.Subscription & (1 << bit)) != 0).Select(TopicName)],
                [.. spec.Current.Select(partition => new TopicPartition(TopicName(partition.Topic), partition.Partition))])).ToArray();
            return new AssignmentInput(ValidCurrent == CurrentKind.Arbitrary ? members : WithValidCurrent(members, counts), counts);
        }

        public override string ToString() =>
            $"counts [{string.Join(", ", Counts)}], seed {Seed}, {ValidCurrent}, members:" + string.Concat(Members.Select((member, index) =>
                $"{Environment.NewLine}  m{index} subscription {member.Subscription} instance {member.Instance} current [{string.Join(", ", member.Current.Select(partition => $"{partition.Topic}-{partition.Partition}"))}]"));

        private string TopicName(int topic) => topic < Counts.Length ? TopicNames[topic] : Ghost;

        /// <summary>Replaces every Current by a valid one drawn from <see cref="Seed"/>; members share one subscription.</summary>
        private AssignmentMember[] WithValidCurrent(AssignmentMember[] members, Dictionary<string, int> counts)
        {
            var random = new Random(Seed);
            var partitions = members[0].Topics
                .SelectMany(topic => Enumerable.Range(0, counts.GetValueOrDefault(topic)).Select(partition => new TopicPartition(topic, partition)))
                .ToArray();
            random.Shuffle(partitions);
            var owned = members.Select(_ => new List<TopicPartition>()).ToArray();
            var first = random.Next(members.Length);
            for (var i = 0; i < partitions.Length; i++)
            {
                var owner = ValidCurrent == CurrentKind.CompleteAndBalanced
                    ? (first + i) % members.Length
                    : random.Next(-1, members.Length);
                if (owner >= 0)
                {
                    owned[owner].Add(partitions[i]);
                }
            }

            return [.. members.Select((member, index) => member with { Current = owned[index] })];
        }
    }
}
