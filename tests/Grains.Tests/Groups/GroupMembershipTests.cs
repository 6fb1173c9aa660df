using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Groups.Assignment;
using Xunit;

namespace Orlog.Groups;

/// <summary>
/// The membership and incremental-rebalance rules, driven as consumers drive them: join, then
/// heartbeat and, when told to, sync (report what is held, get what may be held now; after giving
/// something up, sync again at once to report it released). Every step checks that no partition is
/// held by two consumers, counting a revoked partition as held until its release is reported.
/// </summary>
public sealed class GroupMembershipTests
{
    private const string Topic = "events";
    private const int SessionTimeoutMs = 10_000;
    private const int RebalanceTimeoutMs = 30_000;

    private readonly FakeTimeProvider _time = new();
    private GroupMembership _group;
    private readonly Dictionary<string, Consumer> _consumers = new(StringComparer.Ordinal);

    public GroupMembershipTests()
    {
        _group = new GroupMembership(new ConsumerGroupOptions(), _time);
        _group.UpdatePartitionCounts(new Dictionary<string, int> { [Topic] = 6 });
    }

    [Fact]
    public void CooperativeSticky_ThreeMembersOverSixPartitions_EndWithTwoEach_NeverSharingOne()
    {
        foreach (var id in new[] { "member-a", "member-b", "member-c" })
        {
            Join(id);
            Settle();
        }

        Assert.Equal("member-a: events-4 events-5 | member-b: events-1 events-2 | member-c: events-0 events-3", Render());
        Assert.Equal(3, _group.Generation);
        Assert.Equal(GroupState.Stable, _group.State);
        Assert.All(_consumers.Values, consumer => Assert.Equal(2, consumer.Holding.Count));
    }

    [Fact]
    public void CooperativeSticky_ThirdMemberJoins_OnlyTheMovedPartitionsAreRevoked()
    {
        var a = Join("member-a");
        Settle();
        var b = Join("member-b");
        Settle();
        Assert.Equal("member-a: events-3 events-4 events-5 | member-b: events-0 events-1 events-2", Render());

        var c = Join("member-c");

        // Its partitions are still held by a and b: it gets nothing yet.
        Assert.Empty(c.Answer.Partitions);
        Assert.False(c.Answer.Complete);
        Assert.True(Heartbeat(a));
        Assert.True(Heartbeat(b));

        // a is told to give up events-3 only, and keeps the rest.
        Assert.Equal([P(4), P(5)], Sync(a).Partitions);
        Assert.Equal([P(4), P(5)], Release(a).Partitions);
        Assert.True(Heartbeat(c));
        var partial = Sync(c);
        Assert.Equal([P(3)], partial.Partitions);
        Assert.False(partial.Complete);

        // b is told to give up events-0 only.
        Assert.Equal([P(1), P(2)], Sync(b).Partitions);
        Assert.Equal([P(1), P(2)], Release(b).Partitions);
        Assert.True(Heartbeat(c));
        var full = Sync(c);
        Assert.Equal([P(0), P(3)], full.Partitions);
        Assert.True(full.Complete);

        Settle();
        Assert.Equal("member-a: events-4 events-5 | member-b: events-1 events-2 | member-c: events-0 events-3", Render());
        Assert.Equal(GroupState.Stable, _group.State);
    }

    [Fact]
    public void Eager_AfterAJoin_EveryAnswerIsEmptyUntilAllReportedOwningNothing_ThenEachGetsItsTarget()
    {
        var a = Join("member-a", RangeAssignor.KafkaName);
        Settle();
        var b = Join("member-b", RangeAssignor.KafkaName);
        Settle();
        Assert.Equal("member-a: events-0 events-1 events-2 | member-b: events-3 events-4 events-5", Render());

        var c = Join("member-c", RangeAssignor.KafkaName);
        Assert.Empty(c.Answer.Partitions);

        Assert.True(Heartbeat(a));
        Assert.Empty(Sync(a).Partitions);
        Assert.Empty(Release(a).Partitions);
        Assert.Empty(Sync(c).Partitions);
        Assert.True(Heartbeat(b));
        Assert.Empty(Sync(b).Partitions);
        Assert.Equal(GroupState.Rebalancing, _group.State);

        // The last holder reports owning nothing: from now on every member gets its target.
        Assert.Equal([P(2), P(3)], Release(b).Partitions);
        Assert.True(Heartbeat(a));
        Assert.Equal([P(0), P(1)], Sync(a).Partitions);
        Assert.True(Heartbeat(c));
        Assert.Equal([P(4), P(5)], Sync(c).Partitions);

        Settle();
        Assert.Equal("member-a: events-0 events-1 | member-b: events-2 events-3 | member-c: events-4 events-5", Render());
        Assert.Equal(GroupState.Stable, _group.State);
    }

    [Fact]
    public void Leave_TheLeaversPartitionsGoToTheOthers_WhoKeepTheirOwn()
    {
        foreach (var id in new[] { "member-a", "member-b", "member-c" })
        {
            Join(id);
            Settle();
        }

        var generation = _group.Generation;

        Leave("member-b");
        Settle();

        Assert.Equal(generation + 1, _group.Generation);
        Assert.Equal("member-a: events-1 events-4 events-5 | member-c: events-0 events-2 events-3", Render());
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.Heartbeat("member-b", generation)).Code);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.Leave("member-b")).Code);
    }

    [Fact]
    public void SessionTimeout_RemovesTheSilentMember_AndRebalances_ButNotOneThatKeepsHeartbeating()
    {
        var a = Join("member-a");
        Settle();
        Join("member-b");
        Settle();
        var generation = _group.Generation;

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(Heartbeat(a));
        Assert.Empty(_group.RemoveExpired());

        _time.Advance(TimeSpan.FromSeconds(5));
        var removed = _group.RemoveExpired();

        var (member, reason) = Assert.Single(removed);
        Assert.Equal("member-b", member.MemberId);
        Assert.Contains("session.timeout.ms", reason, StringComparison.Ordinal);
        Assert.Equal(1, _group.Count);
        Assert.Equal(generation + 1, _group.Generation);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.Heartbeat("member-b", generation)).Code);

        _consumers.Remove("member-b");
        Assert.True(Heartbeat(a));
        Settle();
        Assert.Equal("member-a: events-0 events-1 events-2 events-3 events-4 events-5", Render());

        // A member that keeps heartbeating stays, however long it lives.
        for (var i = 0; i < 60; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            Assert.False(Heartbeat(a));
            Assert.Empty(_group.RemoveExpired());
        }

        Assert.Equal(1, _group.Count);
        Assert.Equal(GroupState.Stable, _group.State);
    }

    [Fact]
    public void RebalanceTimeout_RemovesAMemberThatHoldsRevokedPartitionsTooLong_EvenWhileItHeartbeats()
    {
        var a = Join("member-a");
        Settle();
        var b = Join("member-b");
        Assert.Equal([P(3), P(4), P(5)], Sync(a).Partitions);

        // a never reports events-0..2 released, but heartbeats in time.
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            Assert.False(Heartbeat(a));
            Assert.False(Heartbeat(b));
            Assert.Empty(_group.RemoveExpired());
        }

        Assert.Empty(Sync(b).Partitions);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(Heartbeat(a));
        var (member, reason) = Assert.Single(_group.RemoveExpired());

        Assert.Equal("member-a", member.MemberId);
        Assert.Contains("max.poll.interval.ms", reason, StringComparison.Ordinal);
        _consumers.Remove("member-a");
        Assert.True(Heartbeat(b));
        Settle();
        Assert.Equal("member-b: events-0 events-1 events-2 events-3 events-4 events-5", Render());
    }

    [Fact]
    public void StaticMember_JoiningAgain_GetsItsPartitionsBack_WithoutARebalance()
    {
        var a = Join("member-a", instanceId: "instance-a");
        Settle();
        var b = Join("member-b");
        Settle();
        var generation = _group.Generation;
        var before = Render();
        Assert.Equal("member-a: events-3 events-4 events-5 | member-b: events-0 events-1 events-2", before);

        // The process restarted: it lost its member id, and holds nothing yet.
        _consumers.Remove(a.MemberId);
        var rejoined = Join("member-a2", instanceId: "instance-a");

        Assert.Equal(("member-a2", generation, true), (rejoined.Answer.MemberId, rejoined.Answer.Generation, rejoined.Answer.Complete));
        Assert.Equal([P(3), P(4), P(5)], rejoined.Answer.Partitions);
        Assert.Equal(generation, _group.Generation);
        Assert.Equal(2, _group.Count);
        Assert.False(Heartbeat(b));
        Assert.Equal([P(0), P(1), P(2)], Sync(b).Partitions);
        Assert.Equal("member-a2: events-3 events-4 events-5 | member-b: events-0 events-1 events-2", Render());
        Assert.Equal(GroupState.Stable, _group.State);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.Heartbeat("member-a", generation)).Code);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.Sync("member-a", generation, [P(3)])).Code);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.CheckCommit("member-a", generation)).Code);
        _group.CheckCommit("member-a2", generation);
    }

    [Fact]
    public void Restored_InTheMiddleOfARebalance_GoesOnWhereItWas_WithoutANewGeneration()
    {
        var a = Join("member-a");
        Settle();
        var b = Join("member-b");
        Settle();
        var c = Join("member-c");
        Assert.True(Heartbeat(a));
        Assert.Equal([P(4), P(5)], Sync(a).Partitions);
        var generation = _group.Generation;

        RestoreFromStorage();

        // a still holds the revoked events-3 and c may not have it yet; the answers are those of before.
        Assert.Equal(generation, _group.Generation);
        Assert.Equal(GroupState.Rebalancing, _group.State);
        CheckNoPartitionHeldTwice();
        Assert.Empty(Sync(c).Partitions);
        Assert.Equal([P(4), P(5)], Release(a).Partitions);
        Assert.True(Heartbeat(c));
        Settle();
        Assert.Equal("member-a: events-4 events-5 | member-b: events-1 events-2 | member-c: events-0 events-3", Render());
        Assert.Equal(generation, _group.Generation);
    }

    [Fact]
    public void Restored_StaticMemberRejoins_WithoutARebalance_AndEverySessionStartsAtTheRestore()
    {
        Join("member-a", instanceId: "instance-a");
        Settle();
        var b = Join("member-b");
        Settle();
        var generation = _group.Generation;
        _time.Advance(TimeSpan.FromMilliseconds(SessionTimeoutMs - 1_000));

        RestoreFromStorage();
        _time.Advance(TimeSpan.FromMilliseconds(2_000));

        Assert.Empty(_group.RemoveExpired());
        Assert.False(Heartbeat(b));
        _consumers.Remove("member-a");
        var rejoined = Join("member-a2", instanceId: "instance-a");
        Assert.Equal([P(3), P(4), P(5)], rejoined.Answer.Partitions);
        Assert.Equal((generation, true), (rejoined.Answer.Generation, rejoined.Answer.Complete));
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.Heartbeat("member-a", generation)).Code);

        _time.Advance(TimeSpan.FromMilliseconds(SessionTimeoutMs + 1));
        Assert.Equal(["member-a2", "member-b"], _group.RemoveExpired().Select(r => r.Member.MemberId).Order(StringComparer.Ordinal));
        Assert.Null(_group.ToStored());
    }

    [Fact]
    public void CheckCommit_FencesUnknownMembersAndOtherGenerations()
    {
        var outsider = Record.Exception(() => _group.CheckCommit("", -1));
        Assert.Null(outsider);

        var a = Join("member-a");
        Settle();
        Join("member-b");
        Settle();
        var generation = _group.Generation;

        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.CheckCommit("member-x", generation)).Code);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.CheckCommit("", -1)).Code);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.CheckCommit("", generation)).Code);
        Assert.Equal(ErrorCode.IllegalGeneration, Assert.Throws<OrlogException>(() => _group.CheckCommit(a.MemberId, generation - 1)).Code);
        Assert.Equal(ErrorCode.IllegalGeneration, Assert.Throws<OrlogException>(() => _group.CheckCommit(a.MemberId, generation + 1)).Code);
        _group.CheckCommit(a.MemberId, generation);

        Leave("member-a");
        Leave("member-b");

        Assert.Null(Record.Exception(() => _group.CheckCommit("", -1)));
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.CheckCommit("member-a", generation)).Code);
    }

    [Fact]
    public void CheckCommit_AMemberThatHasNotSyncedTheNewGeneration_CommitsInItsOwn()
    {
        var a = Join("member-a");
        Settle();
        Join("member-b");

        // a still consumes under generation 1 until it syncs; the group's generation is 2.
        _group.CheckCommit(a.MemberId, 1);
        Assert.Equal(ErrorCode.IllegalGeneration, Assert.Throws<OrlogException>(() => _group.CheckCommit(a.MemberId, 2)).Code);
    }

    [Theory]
    [InlineData(5_999, CooperativeStickyAssignor.KafkaName, Topic, ErrorCode.InvalidSessionTimeout)]
    [InlineData(1_800_001, CooperativeStickyAssignor.KafkaName, Topic, ErrorCode.InvalidSessionTimeout)]
    [InlineData(SessionTimeoutMs, RangeAssignor.KafkaName, Topic, ErrorCode.InconsistentGroupProtocol)]
    [InlineData(SessionTimeoutMs, "sticky-ish", Topic, ErrorCode.InconsistentGroupProtocol)]
    [InlineData(SessionTimeoutMs, CooperativeStickyAssignor.KafkaName, "bad topic", ErrorCode.InvalidTopic)]
    [InlineData(SessionTimeoutMs, CooperativeStickyAssignor.KafkaName, "", ErrorCode.InvalidTopic)]
    public void Join_Rejected_ChangesNothing(int sessionTimeoutMs, string assignor, string topic, ErrorCode expected)
    {
        var a = Join("member-a");
        Settle();
        var generation = _group.Generation;

        var error = Assert.Throws<OrlogException>(() => _group.Join(Request(assignor, sessionTimeoutMs: sessionTimeoutMs, topics: [topic]), "member-b"));

        Assert.Equal(expected, error.Code);
        Assert.Equal(1, _group.Count);
        Assert.Equal(generation, _group.Generation);
        Assert.False(Heartbeat(a));
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Throws<OrlogException>(() => _group.Heartbeat("member-b", generation)).Code);
        Assert.Equal(GroupState.Stable, _group.State);
    }

    [Theory]
    [InlineData(ConsumerGroupOptions.DefaultMinSessionTimeoutMs)]
    [InlineData(ConsumerGroupOptions.DefaultMaxSessionTimeoutMs)]
    public void Join_AtTheSessionTimeoutBounds_IsAccepted(int sessionTimeoutMs)
    {
        var joined = _group.Join(Request(CooperativeStickyAssignor.KafkaName, sessionTimeoutMs: sessionTimeoutMs), "member-a");

        Assert.Equal(6, joined.Partitions.Count);
    }

    [Fact]
    public void Join_OnAGroupWhoseMembersAllLeft_MayChooseAnotherAssignor()
    {
        Join("member-a");
        Settle();
        Leave("member-a");

        var joined = Join("member-b", RangeAssignor.KafkaName);

        Assert.Equal(6, joined.Answer.Partitions.Count);
        Assert.Equal(RangeAssignor.KafkaName, _group.AssignorName);
    }

    [Fact]
    public void UpdatePartitionCounts_MorePartitions_RebalancesAndAssignsTheNewOnes_WithoutRevokingAny()
    {
        var a = Join("member-a");
        Settle();
        var b = Join("member-b");
        Settle();
        var generation = _group.Generation;

        Assert.False(_group.UpdatePartitionCounts(new Dictionary<string, int> { [Topic] = 6 }));
        Assert.Equal(generation, _group.Generation);

        Assert.True(_group.UpdatePartitionCounts(new Dictionary<string, int> { [Topic] = 8 }));

        Assert.Equal(generation + 1, _group.Generation);
        Assert.True(Heartbeat(a));
        Assert.True(Heartbeat(b));
        Assert.Equal([P(3), P(4), P(5), P(6)], Sync(a).Partitions);
        Assert.Equal([P(0), P(1), P(2), P(7)], Sync(b).Partitions);
        Settle();
        Assert.Equal("member-a: events-3 events-4 events-5 events-6 | member-b: events-0 events-1 events-2 events-7", Render());
    }

    private Consumer Join(string memberId, string assignor = CooperativeStickyAssignor.KafkaName, string? instanceId = null)
    {
        var assignment = _group.Join(Request(assignor, instanceId), memberId);
        Assert.Equal(memberId, assignment.MemberId);
        var consumer = new Consumer(memberId, assignment);
        consumer.Holding.UnionWith(assignment.Partitions);
        _consumers.Add(memberId, consumer);
        CheckNoPartitionHeldTwice();
        return consumer;
    }

    private void Leave(string memberId)
    {
        _group.Leave(memberId);
        _consumers.Remove(memberId);
        CheckNoPartitionHeldTwice();
    }

    private bool Heartbeat(Consumer consumer) => _group.Heartbeat(consumer.MemberId, consumer.Generation);

    /// <summary>One sync as the consumer does it; it still reads what the answer revokes until it reports the release.</summary>
    private GroupAssignment Sync(Consumer consumer)
    {
        var assignment = _group.Sync(consumer.MemberId, _group.Generation, [.. consumer.Holding]);
        consumer.Answer = assignment;
        consumer.Holding.UnionWith(assignment.Partitions);
        CheckNoPartitionHeldTwice();
        return assignment;
    }

    /// <summary>The consumer stops reading what its last answer left out, and reports that at once.</summary>
    private GroupAssignment Release(Consumer consumer)
    {
        consumer.Holding.IntersectWith(consumer.Answer.Partitions);
        return Sync(consumer);
    }

    /// <summary>Heartbeats every consumer, syncing those told to (and again after each release), until none is.</summary>
    private void Settle()
    {
        for (var round = 0; round < 20; round++)
        {
            var synced = false;
            foreach (var consumer in _consumers.Values.OrderBy(c => c.MemberId, StringComparer.Ordinal))
            {
                if (!Heartbeat(consumer))
                {
                    continue;
                }

                synced = true;
                var answer = Sync(consumer);
                while (!consumer.Holding.SetEquals(answer.Partitions))
                {
                    consumer.Holding.IntersectWith(answer.Partitions);
                    answer = Sync(consumer);
                }
            }

            if (!synced)
            {
                Assert.Equal(GroupState.Stable, _group.State);
                return;
            }
        }

        Assert.Fail($"The group did not settle: {Render()}");
    }

    /// <summary>The group grain moved: a new membership restored from what the old one stored.</summary>
    private void RestoreFromStorage()
    {
        var stored = _group.ToStored() ?? throw new InvalidOperationException("The group has no members to store.");
        _group = new GroupMembership(new ConsumerGroupOptions(), _time);
        _group.Restore(stored);
    }

    private void CheckNoPartitionHeldTwice()
    {
        var holders = new Dictionary<TopicPartition, string>();
        foreach (var consumer in _consumers.Values)
        {
            foreach (var partition in consumer.Holding)
            {
                if (!holders.TryAdd(partition, consumer.MemberId))
                {
                    Assert.Fail($"{partition} is held by {holders[partition]} and {consumer.MemberId}.");
                }

                // The group must know of every partition a consumer still reads.
                Assert.Equal(consumer.MemberId, _group.OwnerOf(partition));
            }
        }
    }

    private string Render() => string.Join(
        " | ",
        _consumers.Values.OrderBy(c => c.MemberId, StringComparer.Ordinal).Select(c =>
            $"{c.MemberId}: {string.Join(' ', c.Holding.Order().Select(p => $"{p.Topic}-{p.Partition}"))}"));

    private static JoinGroupRequest Request(
        string assignor, string? instanceId = null, int sessionTimeoutMs = SessionTimeoutMs, IReadOnlyList<string>? topics = null) =>
        new("", instanceId, "client", topics ?? [Topic], assignor, sessionTimeoutMs, RebalanceTimeoutMs);

    private static TopicPartition P(int partition) => new(Topic, partition);

    /// <summary>A consumer: its last answer, and what it reads.</summary>
    private sealed class Consumer(string memberId, GroupAssignment answer)
    {
        public string MemberId { get; } = memberId;

        public GroupAssignment Answer { get; set; } = answer;

        public int Generation => Answer.Generation;

        public HashSet<TopicPartition> Holding { get; } = [];
    }
}
