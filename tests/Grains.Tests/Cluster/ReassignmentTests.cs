using Orlog.Errors;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Cluster;

/// <summary>Reassignment rules: new replicas join as followers; once all are in sync the partition keeps only them, the first leading.</summary>
public class ReassignmentTests
{
    private static readonly TopicPartition P = new("t", 0);
    private static readonly HashSet<int> Live = [1, 2, 3, 4, 5];
    private static readonly PartitionLeadership OnOneTwoThree = new([1, 2, 3], 1, 4, [1, 2, 3], 7);

    [Fact]
    public void Start_AddsTheNewReplicasAfterTheOld_AsFollowersOutOfTheIsr()
    {
        var moving = Reassignment.Start(P, OnOneTwoThree, [4, 2, 5], Live);

        Assert.Equal([1, 2, 3, 4, 5], moving.Replicas);
        Assert.Equal([4, 2, 5], moving.Target!);
        Assert.Equal((1, 4, 8), (moving.Leader, moving.LeaderEpoch, moving.Version));
        Assert.Equal([1, 2, 3], moving.Isr);
    }

    [Fact]
    public void WhileATargetReplicaIsOutOfSync_NothingCompletes()
    {
        var moving = Reassignment.Start(P, OnOneTwoThree, [4, 2, 5], Live) with { Isr = [1, 2, 3, 4] };

        Assert.Same(moving, Reassignment.CompleteIfInSync(moving, Live));
    }

    [Fact]
    public void OnceEveryTargetReplicaIsInSync_ThePartitionKeepsOnlyThem_AndTheFirstLeadsAtTheNextEpoch()
    {
        var moving = Reassignment.Start(P, OnOneTwoThree, [4, 2, 5], Live) with { Isr = [1, 2, 3, 4, 5] };

        var moved = Reassignment.CompleteIfInSync(moving, Live);

        Assert.Equal([4, 2, 5], moved.Replicas);
        Assert.Null(moved.Target);
        Assert.Equal([2, 4, 5], moved.Isr);
        Assert.Equal((4, 5), (moved.Leader, moved.LeaderEpoch));
        Assert.True(moved.Version > moving.Version);
    }

    [Fact]
    public void AMoveWithinTheIsr_CompletesAtOnce_AndTheNewPreferredReplicaLeads()
    {
        var moved = Reassignment.Start(P, OnOneTwoThree, [3, 1], Live);

        Assert.Equal([3, 1], moved.Replicas);
        Assert.Null(moved.Target);
        Assert.Equal([1, 3], moved.Isr);
        Assert.Equal((3, 5), (moved.Leader, moved.LeaderEpoch));
    }

    [Theory]
    [InlineData(new int[0], ErrorCode.InvalidReplicaAssignment)]
    [InlineData(new[] { 2, 2 }, ErrorCode.InvalidReplicaAssignment)]
    [InlineData(new[] { 2, 9 }, ErrorCode.InvalidReplicaAssignment)]
    public void ABadReplicaList_IsRefused(int[] target, ErrorCode code)
    {
        var error = Assert.Throws<OrlogException>(() => Reassignment.Start(P, OnOneTwoThree, target, Live));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void ASecondMove_WhileOneRuns_IsRefused()
    {
        var moving = Reassignment.Start(P, OnOneTwoThree, [4, 2, 5], Live);

        var error = Assert.Throws<OrlogException>(() => Reassignment.Start(P, moving, [1, 2], Live));

        Assert.Equal(ErrorCode.ReassignmentInProgress, error.Code);
    }
}
