using Xunit;
using static Orlog.Groups.Assignment.AssignmentText;

namespace Orlog.Groups.Assignment;

public sealed class CooperativeStickyAssignorTests
{
    private static readonly CooperativeStickyAssignor Assignor = new();

    [Fact]
    public void NewGroup_ThreeMembersOverSixPartitions_TwoEach()
    {
        var result = Assign(Counts(("t", 6)), Member("C0", ["t"]), Member("C1", ["t"]), Member("C2", ["t"]));

        Assert.Equal("C0: t-0 t-3 | C1: t-1 t-4 | C2: t-2 t-5", Render(result));
    }

    [Fact]
    public void MemberJoins_OnlyOnePartitionMovesAndItGoesToTheNewMember()
    {
        // 6 over 4 is 2, 2, 1, 1: the new member takes one partition from one old member.
        var result = Assign(
            Counts(("t", 6)),
            Member("C0", ["t"], "t-0", "t-3"), Member("C1", ["t"], "t-1", "t-4"), Member("C2", ["t"], "t-2", "t-5"),
            Member("C3", ["t"]));

        Assert.Equal("C0: t-3 | C1: t-1 t-4 | C2: t-2 t-5 | C3: t-0", Render(result));
    }

    [Fact]
    public void MemberJoins_EachOldMemberGivesOnePartitionToTheNewMemberAndKeepsTheRest()
    {
        var previous = new Dictionary<string, string[]>
        {
            ["C0"] = ["t-0", "t-3", "t-6", "t-9"],
            ["C1"] = ["t-1", "t-4", "t-7", "t-10"],
            ["C2"] = ["t-2", "t-5", "t-8", "t-11"],
        };

        var result = Assign(
            Counts(("t", 12)),
            [.. previous.Select(entry => Member(entry.Key, ["t"], entry.Value)), Member("C3", ["t"])]);

        Assert.Equal(3, result["C3"].Count);
        foreach (var (member, partitions) in previous)
        {
            Assert.Equal(3, result[member].Count);
            Assert.Subset(partitions.Select(Partition).ToHashSet(), result[member].ToHashSet());
        }
    }

    [Fact]
    public void MemberLeaves_ItsPartitionsGoToTheOthersAndNothingElseMoves()
    {
        var result = Assign(Counts(("t", 6)), Member("C0", ["t"], "t-0", "t-3"), Member("C1", ["t"], "t-1", "t-4"));

        Assert.Equal("C0: t-0 t-2 t-3 | C1: t-1 t-4 t-5", Render(result));
    }

    [Fact]
    public void PartitionsAdded_NewPartitionsGoToTheFewestAndNothingMoves()
    {
        var result = Assign(
            Counts(("t", 6), ("u", 1)),
            Member("C0", ["t", "u"], "t-0", "t-2"), Member("C1", ["t", "u"], "t-1", "t-3"), Member("C2", ["t", "u"], "t-5"));

        // t-4 goes to C2 (fewest), then u-0 to C0 (all tie at 2, C0 first).
        Assert.Equal("C0: t-0 t-2 u-0 | C1: t-1 t-3 | C2: t-4 t-5", Render(result));
    }

    [Fact]
    public void PartitionsRemoved_VanishedPartitionsAreDroppedAndTheRestRebalanced()
    {
        // t shrank from 6 to 4 partitions: C1 loses t-4 and t-5 and is refilled from C0's surplus.
        var result = Assign(
            Counts(("t", 4)),
            Member("C0", ["t"], "t-0", "t-1", "t-2"), Member("C1", ["t"], "t-3", "t-4", "t-5"));

        Assert.Equal("C0: t-1 t-2 | C1: t-0 t-3", Render(result));
    }

    [Fact]
    public void MemberDropsATopic_ItsPartitionsOfThatTopicMoveAndTheGroupRebalances()
    {
        // C1 no longer subscribes to b: b-1 must go to C0, which then has 3 against 1 and gives C1 one of a.
        var result = Assign(
            Counts(("a", 2), ("b", 2)),
            Member("C0", ["a", "b"], "a-0", "b-0"), Member("C1", ["a"], "a-1", "b-1"));

        Assert.Equal("C0: b-0 b-1 | C1: a-0 a-1", Render(result));
    }

    [Fact]
    public void MemberAddsATopic_OnePartitionMovesToBalanceTheGroup()
    {
        // C1 used to subscribe to a only, so C0 owns all of b; 3 : 1 moves C0's first partition.
        var result = Assign(
            Counts(("a", 2), ("b", 2)),
            Member("C0", ["a", "b"], "a-0", "b-0", "b-1"), Member("C1", ["a", "b"], "a-1"));

        Assert.Equal("C0: b-0 b-1 | C1: a-0 a-1", Render(result));
    }

    [Fact]
    public void PartitionClaimedByTwoMembers_TheFirstInMemberOrderKeepsIt()
    {
        var result = Assign(
            Counts(("t", 4)),
            Member("C1", ["t"], "t-1", "t-2", "t-3"), Member("C0", ["t"], "t-0", "t-1"));

        Assert.Equal("C0: t-0 t-1 | C1: t-2 t-3", Render(result));
    }

    [Fact]
    public void PartitionClaimedByTwoMembers_AStaticMemberComesFirst()
    {
        var result = Assign(
            Counts(("t", 4)),
            new AssignmentMember("C0", null, ["t"], [Partition("t-0"), Partition("t-1")]),
            new AssignmentMember("C1", "instance", ["t"], [Partition("t-1"), Partition("t-2")]));

        // C1 (static) keeps t-1; C0 keeps only t-0 and, having fewer, gets the unclaimed t-3.
        Assert.Equal("C0: t-0 t-3 | C1: t-1 t-2", Render(result));
    }

    [Fact]
    public void MemberWithNoMatchingTopic_GetsAnEmptyList()
    {
        var result = Assign(Counts(("t", 2)), Member("C0", ["t"]), Member("C1", ["missing"], "t-0"));

        Assert.Equal("C0: t-0 t-1 | C1: ", Render(result));
    }

    [Fact]
    public void Protocol_IsCooperative() =>
        Assert.Equal((CooperativeStickyAssignor.KafkaName, RebalanceProtocol.Cooperative), (Assignor.Name, Assignor.Protocol));

    private static IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(Dictionary<string, int> counts, params AssignmentMember[] members) =>
        Assignor.Assign(new AssignmentInput(members, counts));

    private static AssignmentMember Member(string id, string[] topics, params string[] current) =>
        new(id, null, topics, [.. current.Select(Partition)]);

    private static TopicPartition Partition(string text)
    {
        var dash = text.LastIndexOf('-');
        return new TopicPartition(text[..dash], int.Parse(text[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
