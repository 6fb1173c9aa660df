using Xunit;
using static Orlog.Groups.Assignment.AssignmentText;

namespace Orlog.Groups.Assignment;

public sealed class RangeAssignorTests
{
    private static readonly RangeAssignor Assignor = new();

    [Fact]
    public void TwoMembersTwoTopics_FirstMemberGetsTheExtraPartitionOfEachTopic()
    {
        // Kafka's RangeAssignor javadoc example.
        var result = Assign(Counts(("t0", 3), ("t1", 3)), Member("C0", "t0", "t1"), Member("C1", "t0", "t1"));

        Assert.Equal("C0: t0-0 t0-1 t1-0 t1-1 | C1: t0-2 t1-2", Render(result));
    }

    [Fact]
    public void SevenPartitionsOverThree_ContiguousRangesOfThreeTwoTwo()
    {
        var result = Assign(Counts(("t", 7)), Member("C0", "t"), Member("C1", "t"), Member("C2", "t"));

        Assert.Equal("C0: t-0 t-1 t-2 | C1: t-3 t-4 | C2: t-5 t-6", Render(result));
    }

    [Fact]
    public void DifferentSubscriptions_EachTopicIsSplitOverItsOwnSubscribers()
    {
        var result = Assign(
            Counts(("t0", 3), ("t1", 2)),
            Member("C0", "t0"), Member("C1", "t0", "t1"), Member("C2", "t1"));

        Assert.Equal("C0: t0-0 t0-1 | C1: t0-2 t1-0 | C2: t1-1", Render(result));
    }

    [Fact]
    public void MoreMembersThanPartitions_TheLastMembersGetNothing()
    {
        var result = Assign(Counts(("t", 2)), Member("C0", "t"), Member("C1", "t"), Member("C2", "t"));

        Assert.Equal("C0: t-0 | C1: t-1 | C2: ", Render(result));
    }

    [Fact]
    public void MemberWithNoMatchingTopic_GetsAnEmptyList()
    {
        var result = Assign(
            Counts(("t", 2), ("empty", 0)),
            Member("C0", "t"), Member("C1", "empty", "missing"));

        Assert.Equal("C0: t-0 t-1 | C1: ", Render(result));
        Assert.Empty(result["C1"]);
    }

    [Fact]
    public void StaticMembers_AreOrderedByInstanceIdNotMemberId()
    {
        var result = Assign(
            Counts(("t", 3)),
            new AssignmentMember("a-member", "instance-z", ["t"], []),
            new AssignmentMember("z-member", "instance-a", ["t"], []));

        Assert.Equal("a-member: t-2 | z-member: t-0 t-1", Render(result));
    }

    [Fact]
    public void StaticMembers_ComeBeforeDynamicMembers()
    {
        // Kafka's MemberInfo order: every member with a group.instance.id sorts before every member without one.
        var result = Assign(
            Counts(("t", 3)),
            new AssignmentMember("a-dynamic", null, ["t"], []),
            new AssignmentMember("z-static", "zzz", ["t"], []));

        Assert.Equal("a-dynamic: t-2 | z-static: t-0 t-1", Render(result));
    }

    [Fact]
    public void Members_AreOrderedOrdinally()
    {
        // Ordinal: "C10" sorts before "C9", and "B" before "a".
        var result = Assign(Counts(("t", 3)), Member("a", "t"), Member("C9", "t"), Member("C10", "t"));

        Assert.Equal("C10: t-0 | C9: t-1 | a: t-2", Render(result));
    }

    [Fact]
    public void DuplicateMemberIds_AreRejected() =>
        Assert.Throws<ArgumentException>(() => Assign(Counts(("t", 1)), Member("C0", "t"), Member("C0", "t")));

    private static IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(Dictionary<string, int> counts, params AssignmentMember[] members) =>
        Assignor.Assign(new AssignmentInput(members, counts));

    private static AssignmentMember Member(string id, params string[] topics) => new(id, null, topics, []);
}
