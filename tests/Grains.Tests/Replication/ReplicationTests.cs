using Orleans.Concurrency;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Log.Epochs;
using Orlog.Partitions;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Replication;

/// <summary>Replication across in-process broker silos: ISR, high watermark, acks=all, elections, fencing, truncation.</summary>
public sealed class ReplicationTests
{
    private static readonly Dictionary<string, string> MinInSyncTwo = new() { ["min.insync.replicas"] = "2" };
    private static readonly ErrorCode[] TooFewReplicas = [ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend];

    [Fact]
    public async Task AcksAll_ReturnsOnceEveryInSyncReplicaHasTheBatch_AndConsumersReadUpToTheHighWatermark()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var partition = await cluster.CreateTopicAsync(3, MinInSyncTwo);
        var leadership = await cluster.LeadershipAsync(partition);

        for (var i = 0; i < 5; i++)
        {
            await cluster.Partition(partition).ProduceAsync(Batch(4), Acks.All);
        }

        Assert.Equal(3, leadership.Isr.Length);
        Assert.All(leadership.Replicas, broker => Assert.True(cluster.LogOn(broker, partition)?.LogEndOffset >= 20, $"broker {broker} holds all 20 records"));
        var fetched = await cluster.Partition(partition).FetchAsync(0, 1 << 20, 1, TimeSpan.Zero);
        Assert.Equal(20, fetched.HighWatermark);
        Assert.Equal([0L, 4, 8, 12, 16], TestBatches.Split(fetched.Records).Select(TestBatches.BaseOffset));
        Assert.Equal(fetched.Records, Read(cluster.LogOn(leadership.Replicas[2], partition)!));
    }

    [Fact]
    public async Task AFollowerThatDies_LeavesTheIsr_AcksAllBelowMinInSyncStoresNothing_AndTheFollowerRejoinsWhenCaughtUp()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var partition = await cluster.CreateTopicAsync(2, MinInSyncTwo);
        var leadership = await cluster.LeadershipAsync(partition);
        var (leader, follower) = (leadership.Leader, leadership.Replicas[1]);
        await cluster.Partition(partition).ProduceAsync(Batch(3), Acks.All);
        var followerSilo = cluster.SiloOf(follower);

        await cluster.KillAsync(followerSilo);
        await cluster.UntilLeadershipAsync(partition, l => l.Isr.SequenceEqual([leader]), "the dead follower leaves the ISR");

        // The leader hears of the shrink from the controller a moment later: until then an acks=all produce is stored
        // and answered NOT_ENOUGH_REPLICAS_AFTER_APPEND. Once it knows, it refuses before storing anything.
        var logEnd = -1L;
        await cluster.UntilAsync(
            async () =>
            {
                logEnd = cluster.LogOn(leader, partition)!.LogEndOffset;
                var error = await Assert.ThrowsAsync<OrlogException>(() => cluster.Partition(partition).ProduceAsync(Batch(2), Acks.All));
                Assert.Contains(error.Code, TooFewReplicas);
                return error.Code == ErrorCode.NotEnoughReplicas;
            },
            () => "the leader refuses acks=all below min.insync.replicas");
        Assert.Equal(logEnd, cluster.LogOn(leader, partition)!.LogEndOffset);
        var leaderOnly = await cluster.Partition(partition).ProduceAsync(Batch(2), Acks.Leader);
        Assert.Equal(logEnd, leaderOnly.BaseOffset);

        await cluster.RestartAsync(followerSilo);
        await cluster.UntilLeadershipAsync(partition, l => l.Isr.Length == 2, "the returned follower rejoins the ISR");
        var afterRejoin = await cluster.Partition(partition).ProduceAsync(Batch(1), Acks.All);

        Assert.Equal(leaderOnly.LastOffset + 1, afterRejoin.BaseOffset);
        Assert.Equal(afterRejoin.LastOffset + 1, cluster.LogOn(follower, partition)!.LogEndOffset);
        Assert.Equal(Read(cluster.LogOn(leader, partition)!), Read(cluster.LogOn(follower, partition)!));
    }

    [Fact]
    public async Task AFollowerThatStopsKeepingUp_LeavesTheIsrAfterTheLagTime_ReleasingAcksAll_AndRejoinsOnceCaughtUp()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var partition = await cluster.CreateTopicAsync(2);
        var leadership = await cluster.LeadershipAsync(partition);
        var (leader, follower) = (leadership.Leader, leadership.Replicas[1]);
        await cluster.Partition(partition).ProduceAsync(Batch(3), Acks.All);

        // The follower's log is closed under it, as a stuck disk would: its broker stays up, but it takes no pushes.
        await cluster.LogOn(follower, partition)!.DisposeAsync();
        var waiting = cluster.Partition(partition).ProduceAsync(Batch(2), Acks.All);
        var shrunk = await cluster.UntilLeadershipAsync(partition, l => l.Isr.SequenceEqual([leader]), "the lagging follower leaves the ISR");
        var released = await waiting;

        await cluster.CloseLogOnAsync(follower, partition);
        var rejoined = await cluster.UntilLeadershipAsync(partition, l => l.Isr.Length == 2, "the follower rejoins the ISR once caught up");

        Assert.True((await cluster.Controller.DescribeBrokersAsync()).Single(b => b.BrokerId == follower).Online, "the follower's broker stayed up");
        Assert.Equal((leader, leadership.LeaderEpoch), (shrunk.Leader, shrunk.LeaderEpoch));
        Assert.Equal(3, released.BaseOffset);
        Assert.Equal((leader, leadership.LeaderEpoch), (rejoined.Leader, rejoined.LeaderEpoch));
        Assert.Equal(Read(cluster.LogOn(leader, partition)!), Read(cluster.LogOn(follower, partition)!));
    }

    [Fact]
    public async Task TheLeadersDeath_ElectsAnInSyncFollowerAtANewEpoch_LosesNoAcknowledgedRecord_FencesTheOldEpoch_AndThePreferredLeaderReturns()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var partition = await cluster.CreateTopicAsync(3, MinInSyncTwo);
        var before = await cluster.LeadershipAsync(partition);
        for (var i = 0; i < 4; i++)
        {
            await cluster.Partition(partition).ProduceAsync(Batch(5), Acks.All);
        }

        var leaderSilo = cluster.SiloOf(before.Leader);
        var killed = DateTime.UtcNow;
        await cluster.KillAsync(leaderSilo);
        var after = await cluster.UntilLeadershipAsync(partition, l => l.Leader >= 0 && l.Leader != before.Leader, "a follower leads");
        var taken = await cluster.ProduceUntilTakenAsync(partition, 5, Acks.All);
        TestContext.Current.SendDiagnosticMessage($"Leader killed -> produce taken by the new leader: {(DateTime.UtcNow - killed).TotalMilliseconds:F0} ms");

        Assert.Equal(before.LeaderEpoch + 1, after.LeaderEpoch);
        Assert.Contains(after.Leader, before.Isr);
        Assert.Equal(20, taken.BaseOffset);
        var fetched = await cluster.Partition(partition).FetchAsync(0, 1 << 20, 1, TimeSpan.Zero);
        Assert.Equal([0L, 5, 10, 15, 20], TestBatches.Split(fetched.Records).Select(TestBatches.BaseOffset));

        var follower = after.Isr.First(b => b != after.Leader);
        var stalePush = await Assert.ThrowsAsync<OrlogException>(() => cluster.Client.GetGrain<IFollowerGrain>(FollowerKey.Format(partition, follower))
            .AppendAsync(new ReplicaPush(before.LeaderEpoch, 0, 0, -1), new Immutable<byte[]>([])));
        Assert.Equal(ErrorCode.FencedLeaderEpoch, stalePush.Code);
        var staleLeader = await Assert.ThrowsAsync<OrlogException>(() => cluster.Client.GetGrain<IFollowerGrain>(FollowerKey.Format(partition, follower))
            .FollowAsync(new FollowRequest(before.Leader, before.LeaderEpoch, [(before.LeaderEpoch, 0)], 0, 20)));
        Assert.Equal(ErrorCode.FencedLeaderEpoch, staleLeader.Code);

        await cluster.RestartAsync(leaderSilo);
        var restored = await cluster.UntilLeadershipAsync(partition, l => l.Leader == before.Replicas[0] && l.Isr.Length == 3, "the preferred leader leads again");
        var last = await cluster.ProduceUntilTakenAsync(partition, 1, Acks.All);

        Assert.Equal(after.LeaderEpoch + 1, restored.LeaderEpoch);
        Assert.Equal(25, last.BaseOffset);
        Assert.Equal(Read(cluster.LogOn(after.Leader, partition)!), Read(cluster.LogOn(before.Leader, partition)!));
    }

    [Fact]
    public async Task AFollowerThatDiverged_TruncatesByLeaderEpoch_ToTheNewLeadersLog()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var partition = await cluster.CreateTopicAsync(2, new() { ["unclean.leader.election.enable"] = "true" });
        var first = await cluster.LeadershipAsync(partition);
        var (a, b) = (first.Leader, first.Replicas[1]);
        await cluster.Partition(partition).ProduceAsync(Batch(2), Acks.All);
        var siloA = cluster.SiloOf(a);
        var siloB = cluster.SiloOf(b);

        await cluster.KillAsync(siloB);
        await cluster.UntilLeadershipAsync(partition, l => l.Isr.SequenceEqual([a]), "B leaves the ISR");
        await cluster.Partition(partition).ProduceAsync(Batch(3), Acks.Leader);
        var onlyOnA = Read(cluster.LogOn(a, partition)!);
        await cluster.KillAsync(siloA);
        await cluster.UntilLeadershipAsync(partition, l => l.Leader < 0, "the partition is offline");
        await cluster.RestartAsync(siloB);
        var unclean = await cluster.UntilLeadershipAsync(partition, l => l.Leader == b, "B leads, out of sync (unclean election)");
        var onB = await cluster.ProduceUntilTakenAsync(partition, 4, Acks.Leader);
        await cluster.RestartAsync(siloA);
        await cluster.UntilLeadershipAsync(partition, l => l.Isr.Length == 2, "A follows B and rejoins the ISR");

        Assert.Equal(2, onB.BaseOffset);
        Assert.Equal(5, onlyOnA.Length > 0 ? TestBatches.NextOffset(TestBatches.Split(onlyOnA)[^1]) : 0);
        var logA = Read(cluster.LogOn(a, partition)!);
        Assert.Equal(Read(cluster.LogOn(b, partition)!), logA);
        Assert.Equal([0L, 2], TestBatches.Split(logA).Select(TestBatches.BaseOffset));
        Assert.Contains(new EpochEntry(unclean.LeaderEpoch, 2), cluster.LogOn(a, partition)!.LeaderEpochs);
    }

    [Fact]
    public async Task AnIdempotentRetry_AfterTheLeaderDied_IsNotWrittenTwice()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var partition = await cluster.CreateTopicAsync(3, MinInSyncTwo);
        var before = await cluster.LeadershipAsync(partition);
        await cluster.Partition(partition).ProduceAsync(new Immutable<byte[]>(TestBatches.Idempotent(77, 0, 0, 2)), Acks.All);
        var acknowledged = await cluster.Partition(partition).ProduceAsync(new Immutable<byte[]>(TestBatches.Idempotent(77, 0, 2, 3)), Acks.All);

        await cluster.KillAsync(cluster.SiloOf(before.Leader));
        var retried = await cluster.ProduceUntilTakenAsync(partition, () => TestBatches.Idempotent(77, 0, 2, 3), Acks.All);
        var next = await cluster.ProduceUntilTakenAsync(partition, () => TestBatches.Idempotent(77, 0, 5, 1), Acks.All);

        Assert.Equal((acknowledged.BaseOffset, acknowledged.LastOffset), (retried.BaseOffset, retried.LastOffset));
        Assert.Equal(5, next.BaseOffset);
        var leader = (await cluster.LeadershipAsync(partition)).Leader;
        Assert.NotEqual(before.Leader, leader);
        Assert.Equal(6, cluster.LogOn(leader, partition)!.LogEndOffset);
    }

    private static Immutable<byte[]> Batch(int records) => new(TestBatches.Build(records, 10, 1_700_000_000_000));

    private static byte[] Read(PartitionLog log) => TestBatches.Concat(TestBatches.ReadAll(log));
}
