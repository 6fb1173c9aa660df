using Xunit;
using static Orlog.Groups.Assignment.AssignmentText;

namespace Orlog.Groups.Assignment;

public sealed class RoundRobinAssignorTests
{
    private static readonly RoundRobinAssignor Assignor = new();

    [Fact]
    public void TwoMembersTwoTopics_PartitionsAreDealtInACircle()
    {
        // Kafka's RoundRobinAssignor javadoc, first example.
        var result = Assign(Counts(("t0", 3), ("t1", 3)), Member("C0", "t0", "t1"), Member("C1", "t0", "t1"));

        Assert.Equal("C0: t0-0 t0-2 t1-1 | C1: t0-1 t1-0 t1-2", Render(result));
    }

    [Fact]
    public void DifferentSubscriptions_APartitionGoesToTheNextSubscriberInTheCircle()
    {
        // Kafka's RoundRobinAssignor javadoc, second example.
        var result = Assign(
            Counts(("t0", 1), ("t1", 2), ("t2", 3)),
            Member("C0", "t0"), Member("C1", "t0", "t1"), Member("C2", "t0", "t1", "t2"));

        Assert.Equal("C0: t0-0 | C1: t1-0 | C2: t1-1 t2-0 t2-1 t2-2", Render(result));
    }

    [Fact]
    public void TheCircleContinuesAfterTheMemberThatTookAPartition()
    {
        // t-0 goes to C1 (C0 does not subscribe); the deal then resumes at C2, not at C0.
        var result = Assign(
            Counts(("t", 3), ("u", 1)),
            Member("C0", "u"), Member("C1", "t"), Member("C2", "t"));

        Assert.Equal("C0: u-0 | C1: t-0 t-2 | C2: t-1", Render(result));
    }

    [Fact]
    public void MemberWithNoMatchingTopic_GetsAnEmptyList()
    {
        var result = Assign(
            Counts(("t", 3), ("empty", 0)),
            Member("C0", "t"), Member("C1", "empty", "missing"), Member("C2", "t"));

        Assert.Equal("C0: t-0 t-2 | C1:  | C2: t-1", Render(result));
    }

    [Fact]
    public void StaticMembers_AreOrderedByInstanceIdThenDynamicMembersByMemberId()
    {
        var result = Assign(
            Counts(("t", 4)),
            new AssignmentMember("a-dynamic", null, ["t"], []),
            new AssignmentMember("b-static", "instance-2", ["t"], []),
            new AssignmentMember("c-static", "instance-1", ["t"], []));

        Assert.Equal("a-dynamic: t-2 | b-static: t-1 | c-static: t-0 t-3", Render(result));
    }

    [Fact]
    public void TopicsAreDealtInOrdinalOrder()
    {
        // Ordinal: "B" sorts before "a".
        var result = Assign(Counts(("a", 1), ("B", 1)), Member("C0", "a", "B"), Member("C1", "a", "B"));

        Assert.Equal("C0: B-0 | C1: a-0", Render(result));
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(Dictionary<string, int> counts, params AssignmentMember[] members) =>
        Assignor.Assign(new AssignmentInput(members, counts));

    private static AssignmentMember Member(string id, params string[] topics) => new(id, null, topics, []);
}
