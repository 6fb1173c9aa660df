using Xunit;

namespace Orlog.Cluster;

public sealed class LeaderElectionTests
{
    private static readonly PartitionLeadership Leading = new([1, 2, 3], 1, 4, [1, 2, 3], 10);

    [Fact]
    public void AllLive_NothingChanges() =>
        Assert.Same(Leading, LeaderElection.OnBrokersChanged(Leading, Live(1, 2, 3), unclean: false));

    [Fact]
    public void ADeadFollower_LeavesTheIsr_AtTheSameEpoch()
    {
        var next = LeaderElection.OnBrokersChanged(Leading, Live(1, 3), unclean: false);

        Assert.Equal((1, 4, 11), (next.Leader, next.LeaderEpoch, next.Version));
        Assert.Equal([1, 3], next.Isr);
    }

    [Fact]
    public void ADeadLeader_IsReplacedByTheFirstLiveInSyncReplica_AtTheNextEpoch()
    {
        var next = LeaderElection.OnBrokersChanged(Leading with { Isr = [1, 3] }, Live(2, 3), unclean: false);

        Assert.Equal((3, 5), (next.Leader, next.LeaderEpoch));
        Assert.Equal([3], next.Isr);
    }

    [Fact]
    public void NoLiveInSyncReplica_TheClusterGoesOffline_KeepingTheIsr_UnlessUncleanElectionIsAllowed()
    {
        var lonely = Leading with { Isr = [1] };

        var offline = LeaderElection.OnBrokersChanged(lonely, Live(2, 3), unclean: false);
        var unclean = LeaderElection.OnBrokersChanged(lonely, Live(2, 3), unclean: true);

        Assert.Equal((-1, 5), (offline.Leader, offline.LeaderEpoch));
        Assert.Equal([1], offline.Isr);
        Assert.Same(offline, LeaderElection.OnBrokersChanged(offline, Live(2, 3), unclean: false));
        Assert.Equal((2, 5), (unclean.Leader, unclean.LeaderEpoch));
        Assert.Equal([2], unclean.Isr);
    }

    [Fact]
    public void AnOfflinePartition_ComesBackWithTheInSyncReplicaThatReturns()
    {
        var offline = new PartitionLeadership([1, 2], -1, 5, [2], 12);

        var back = LeaderElection.OnBrokersChanged(offline, Live(1, 2), unclean: false);

        Assert.Equal((2, 6), (back.Leader, back.LeaderEpoch));
    }

    [Fact]
    public void ThePreferredReplica_LeadsAgain_OnceItIsBackInSync()
    {
        var elsewhere = new PartitionLeadership([1, 2, 3], 2, 5, [2, 3], 12);

        var stillOut = LeaderElection.OnBrokersChanged(elsewhere, Live(1, 2, 3), unclean: false);
        var rejoined = LeaderElection.OnIsrChanged(elsewhere, [2, 3, 1], Live(1, 2, 3));

        Assert.Same(elsewhere, stillOut);
        Assert.Equal((1, 6, 14), (rejoined.Leader, rejoined.LeaderEpoch, rejoined.Version));
        Assert.Equal([2, 3, 1], rejoined.Isr);
    }

    private static HashSet<int> Live(params int[] brokers) => [.. brokers];
}
