using Orleans;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Groups.Assignment;
using Orlog.Log;
using Orlog.Partitions;
using Orlog.Topics;
using Xunit;

namespace Orlog.Groups;

/// <summary>
/// The consumer group grain on the shared test cluster. Session timeouts are long (the silo's
/// timer removes members by real time), so no test depends on expiry.
/// </summary>
[Collection(BrokerClusterTests.Name)]
public sealed class ConsumerGroupGrainTests(BrokerClusterFixture fixture)
{
    private const int SessionTimeoutMs = 60_000;
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task JoinSyncHeartbeat_RoundTrip()
    {
        var topic = await NewTopicAsync(4);
        var group = Group(Unique("g"));

        var joined = await group.JoinAsync(Request(topic) with { ClientId = "reader" });
        var heartbeat = await group.HeartbeatAsync(joined.MemberId, joined.Generation, NoWait);
        var synced = await group.SyncAsync(joined.MemberId, joined.Generation, joined.Partitions);

        Assert.StartsWith("reader-", joined.MemberId, StringComparison.Ordinal);
        Assert.Equal((1, true), (joined.Generation, joined.Complete));
        Assert.Equal(Partitions(topic, 0, 1, 2, 3), joined.Partitions);
        Assert.Equal(new HeartbeatResult(1, false), heartbeat);
        Assert.Equal((joined.MemberId, 1, true), (synced.MemberId, synced.Generation, synced.Complete));
        Assert.Equal(joined.Partitions, synced.Partitions);
        Assert.Equal(GroupState.Stable, (await group.DescribeAsync()).State);
    }

    [Fact]
    public async Task Heartbeat_LongPoll_ReturnsEarly_WhenAnotherMemberJoins()
    {
        var topic = await NewTopicAsync(4);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));

        var waiting = group.HeartbeatAsync(a.MemberId, a.Generation, TimeSpan.FromSeconds(30));
        await group.FetchOffsetsAsync(null);
        Assert.False(waiting.IsCompleted, "the heartbeat answered although nothing changed");

        var b = await group.JoinAsync(Request(topic));
        var woken = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(new HeartbeatResult(2, true), woken);
        Assert.Equal(2, b.Generation);
        Assert.Empty(b.Partitions);
    }

    [Fact]
    public async Task Heartbeat_WithNothingToDo_WaitsItsMaxWait_AndRefusesAbsurdWaits()
    {
        var topic = await NewTopicAsync(1);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));

        var started = DateTime.UtcNow;
        var result = await group.HeartbeatAsync(a.MemberId, a.Generation, TimeSpan.FromMilliseconds(300));

        Assert.Equal(new HeartbeatResult(1, false), result);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250), "the heartbeat did not wait");
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<OrlogException>(() => group.HeartbeatAsync(a.MemberId, a.Generation, TimeSpan.FromMinutes(2)))).Code);
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<OrlogException>(() => group.HeartbeatAsync(a.MemberId, a.Generation, TimeSpan.FromSeconds(-1)))).Code);
        Assert.Equal(ErrorCode.UnknownMemberId, (await Assert.ThrowsAsync<OrlogException>(() => group.HeartbeatAsync("ghost", a.Generation, NoWait))).Code);
    }

    [Fact]
    public async Task Leave_ThePartitionsMoveToTheOtherMember_AndTheLeaverIsUnknown()
    {
        var topic = await NewTopicAsync(4);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));
        var b = await group.JoinAsync(Request(topic));
        a = await SettleAsync(group, a);
        b = await SettleAsync(group, b);
        Assert.Equal(4, a.Partitions.Count + b.Partitions.Count);

        await group.LeaveAsync(b.MemberId);

        Assert.True((await group.HeartbeatAsync(a.MemberId, a.Generation, NoWait)).SyncNeeded);
        a = await SettleAsync(group, a);
        Assert.Equal(Partitions(topic, 0, 1, 2, 3), a.Partitions);
        Assert.Equal(ErrorCode.UnknownMemberId, (await Assert.ThrowsAsync<OrlogException>(() => group.HeartbeatAsync(b.MemberId, a.Generation, NoWait))).Code);
        Assert.Equal(ErrorCode.UnknownMemberId, (await Assert.ThrowsAsync<OrlogException>(() => group.LeaveAsync(b.MemberId))).Code);
    }

    [Theory]
    [InlineData(1_000, CooperativeStickyAssignor.KafkaName, true, ErrorCode.InvalidSessionTimeout)]
    [InlineData(1_000, CooperativeStickyAssignor.KafkaName, false, ErrorCode.InvalidSessionTimeout)]
    [InlineData(SessionTimeoutMs, RangeAssignor.KafkaName, false, ErrorCode.InconsistentGroupProtocol)]
    public async Task Join_Rejected_ChangesNothing(int sessionTimeoutMs, string assignor, bool sameTopic, ErrorCode expected)
    {
        var topic = await NewTopicAsync(2);
        var other = await NewTopicAsync(3);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));

        var error = await Assert.ThrowsAsync<OrlogException>(() => group.JoinAsync(Request(sameTopic ? topic : other, assignor: assignor, sessionTimeoutMs: sessionTimeoutMs)));

        Assert.Equal(expected, error.Code);
        var described = await group.DescribeAsync();
        Assert.Equal((a.Generation, 1, GroupState.Stable), (described.Generation, described.Members.Count, described.State));
        Assert.Equal(new HeartbeatResult(a.Generation, false), await group.HeartbeatAsync(a.MemberId, a.Generation, NoWait));
    }

    [Fact]
    public async Task JoinAndCommit_WithAGroupIdOver249Characters_AreInvalidGroupId()
    {
        var topic = await NewTopicAsync(1);
        var group = Group(new string('g', GroupId.MaxLength + 1));

        var join = await Assert.ThrowsAsync<OrlogException>(() => group.JoinAsync(Request(topic)));
        var commit = await Assert.ThrowsAsync<OrlogException>(() => group.CommitOffsetsAsync("", -1, [new(new(topic, 0), 1)]));

        Assert.Equal((ErrorCode.InvalidGroupId, ErrorCode.InvalidGroupId), (join.Code, commit.Code));
    }

    [Fact]
    public async Task CommitAndFetch_RoundTrip_WithMetadata()
    {
        var topic = await NewTopicAsync(4);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));
        var before = DateTimeOffset.UtcNow;

        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 2), 7), new(new(topic, 0), 42, "checkpoint")]);
        var all = await group.FetchOffsetsAsync(null);
        var some = await group.FetchOffsetsAsync([new(topic, 2), new(topic, 3)]);

        Assert.Equal([(new TopicPartition(topic, 0), 42L, "checkpoint"), (new TopicPartition(topic, 2), 7L, null)], all.Select(c => (c.Partition, c.Offset, c.Metadata)));
        Assert.All(all, c => Assert.InRange(c.CommittedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal(new TopicPartition(topic, 2), Assert.Single(some).Partition);

        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 50)]);
        var replaced = Assert.Single(await group.FetchOffsetsAsync([new(topic, 0)]));
        Assert.Equal((50L, (string?)null), (replaced.Offset, replaced.Metadata));
    }

    [Fact]
    public async Task Commit_FromAnUnknownMemberOrAStaleGeneration_IsFenced_AndStoresNothing()
    {
        var topic = await NewTopicAsync(2);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));
        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 10, "kept")]);
        var stale = a.Generation;
        await group.JoinAsync(Request(topic));
        a = await SettleAsync(group, a);
        Assert.NotEqual(stale, a.Generation);

        var unknown = await Assert.ThrowsAsync<OrlogException>(() => group.CommitOffsetsAsync("ghost", a.Generation, [new(new(topic, 0), 99)]));
        var illegal = await Assert.ThrowsAsync<OrlogException>(() => group.CommitOffsetsAsync(a.MemberId, stale, [new(new(topic, 0), 99)]));
        var outsider = await Assert.ThrowsAsync<OrlogException>(() => group.CommitOffsetsAsync("", -1, [new(new(topic, 0), 99)]));

        Assert.Equal(ErrorCode.UnknownMemberId, unknown.Code);
        Assert.Equal(ErrorCode.IllegalGeneration, illegal.Code);
        Assert.Equal(ErrorCode.UnknownMemberId, outsider.Code);
        var committed = Assert.Single(await group.FetchOffsetsAsync(null));
        Assert.Equal((10L, "kept"), (committed.Offset, committed.Metadata));
    }

    [Fact]
    public async Task Commit_WithABadEntry_RefusesTheWholeRequest()
    {
        var topic = await NewTopicAsync(2);
        var group = Group(Unique("g"));
        await group.CommitOffsetsAsync("", -1, [new(new(topic, 0), 5, "first")]);
        var good = new OffsetCommit(new(topic, 0), 99);

        var cases = new (OffsetCommit[] Offsets, ErrorCode Expected)[]
        {
            ([good, new(new(topic, 1), -1)], ErrorCode.InvalidRequest),
            ([good, new(new(topic, 1), 1, new string('x', 4097))], ErrorCode.OffsetMetadataTooLarge),
            ([good, new(new(topic, 1), 1, new string('é', 2049))], ErrorCode.OffsetMetadataTooLarge),
            ([good, new(new(topic, 2), 1)], ErrorCode.UnknownTopicOrPartition),
            ([good, new(new(topic, -1), 1)], ErrorCode.UnknownTopicOrPartition),
            ([good, new(new(Unique("missing"), 0), 1)], ErrorCode.UnknownTopicOrPartition),
            ([good, new(new("bad topic", 0), 1)], ErrorCode.InvalidTopic),
            ([], ErrorCode.InvalidRequest),
        };

        foreach (var (offsets, expected) in cases)
        {
            var error = await Assert.ThrowsAsync<OrlogException>(() => group.CommitOffsetsAsync("", -1, offsets));
            Assert.Equal(expected, error.Code);
        }

        var committed = Assert.Single(await group.FetchOffsetsAsync(null));
        Assert.Equal((new TopicPartition(topic, 0), 5L, "first"), (committed.Partition, committed.Offset, committed.Metadata));

        await group.CommitOffsetsAsync("", -1, [new(new(topic, 1), 1, new string('x', 4096))]);
        Assert.Equal(2, (await group.FetchOffsetsAsync(null)).Count);
    }

    [Fact]
    public async Task ConcurrentCommits_AllComplete_AndSurviveDeactivation()
    {
        const int Count = 200;
        var topic = await NewTopicAsync(Count);
        var group = Group(Unique("g"));

        await Task.WhenAll(Enumerable.Range(0, Count).Select(i => group.CommitOffsetsAsync("", -1, [new(new(topic, i), 1000 + i, $"m{i}")])));
        var fetched = await group.FetchOffsetsAsync(null);

        AssertAllCommitted(fetched);

        // A fresh activation reads them back from storage.
        await DeactivateAsync(group);

        AssertAllCommitted(await group.FetchOffsetsAsync(null));

        void AssertAllCommitted(IReadOnlyList<CommittedOffset> offsets) =>
            Assert.Equal(
                Enumerable.Range(0, Count).Select(i => (new TopicPartition(topic, i), 1000L + i, (string?)$"m{i}")),
                offsets.Select(c => (c.Partition, c.Offset, c.Metadata)));
    }

    [Fact]
    public async Task Membership_SurvivesDeactivation_MembersGoOnUnderTheirIds_AndAStaticMemberRejoinsWithoutARebalance()
    {
        var topic = await NewTopicAsync(4);
        var group = Group(Unique("g"));
        var a = await SettleAsync(group, await group.JoinAsync(Request(topic, instanceId: "instance-a")));
        var b = await group.JoinAsync(Request(topic));
        a = await SettleAsync(group, a);
        b = await SettleAsync(group, b);
        var before = await group.DescribeAsync();
        Assert.Equal(GroupState.Stable, before.State);

        await DeactivateAsync(group);

        var after = await group.DescribeAsync();
        Assert.Equal((before.Generation, GroupState.Stable), (after.Generation, after.State));
        Assert.Equal(Render(before.Members), Render(after.Members));
        Assert.Equal(new HeartbeatResult(before.Generation, false), await group.HeartbeatAsync(b.MemberId, b.Generation, NoWait));
        Assert.Equal(b.Partitions, (await group.SyncAsync(b.MemberId, b.Generation, b.Partitions)).Partitions);
        var rejoined = await group.JoinAsync(Request(topic, instanceId: "instance-a"));
        Assert.Equal(a.Partitions, rejoined.Partitions);
        Assert.Equal((before.Generation, true), (rejoined.Generation, rejoined.Complete));
        Assert.Equal(ErrorCode.UnknownMemberId, (await Assert.ThrowsAsync<OrlogException>(() => group.HeartbeatAsync(a.MemberId, a.Generation, NoWait))).Code);

        static string Render(IEnumerable<GroupMemberDescription> members) =>
            string.Join(" | ", members.Select(m => $"{m.MemberId} {m.GroupInstanceId} {string.Join(',', m.Topics)}: {string.Join(',', m.Assignment)}"));
    }

    [Fact]
    public async Task Describe_ShowsMembersAssignmentCommittedOffsetsLogEndAndLag()
    {
        var topic = await NewTopicAsync(2);
        await Partition(topic, 0).ProduceAsync(Batch(5), Acks.Leader);
        await Partition(topic, 1).ProduceAsync(Batch(3), Acks.Leader);
        var groupId = Unique("g");
        var group = Group(groupId);
        var a = await group.JoinAsync(Request(topic, instanceId: "instance-1") with { ClientId = "describer" });
        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 2, "x")]);

        var described = await group.DescribeAsync();

        Assert.Equal((groupId, GroupState.Stable, CooperativeStickyAssignor.KafkaName, 1), (described.GroupId, described.State, described.Assignor, described.Generation));
        var member = Assert.Single(described.Members);
        Assert.Equal((a.MemberId, "instance-1", "describer"), (member.MemberId, member.GroupInstanceId, member.ClientId));
        Assert.Equal([topic], member.Topics);
        Assert.Equal(Partitions(topic, 0, 1), member.Assignment);
        Assert.Equal(
            [new PartitionLag(new(topic, 0), 2, "x", 5, 3, a.MemberId), new PartitionLag(new(topic, 1), -1, null, 3, -1, a.MemberId)],
            described.Partitions);
    }

    [Fact]
    public async Task Describe_OfAnEmptyGroupWithOffsets_ShowsNoMembersAndNoAssignor()
    {
        var topic = await NewTopicAsync(1);
        await Partition(topic, 0).ProduceAsync(Batch(4), Acks.Leader);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));
        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 1)]);
        await group.LeaveAsync(a.MemberId);

        var described = await group.DescribeAsync();

        Assert.Equal(GroupState.Empty, described.State);
        Assert.Empty(described.Members);
        Assert.Equal([new PartitionLag(new(topic, 0), 1, null, 4, 3, null)], described.Partitions);

        // GroupDescription.Assignor: "null while it has no members".
        Assert.Null(described.Assignor);
    }

    [Fact]
    public async Task Describe_OfAnUnknownGroup_IsGroupIdNotFound()
    {
        var error = await Assert.ThrowsAsync<OrlogException>(() => Group(Unique("nobody")).DescribeAsync());

        Assert.Equal(ErrorCode.GroupIdNotFound, error.Code);
    }

    [Fact]
    public async Task AlterOffsets_IsRefusedWhileMembersExist_AndWorksAfterTheyLeave()
    {
        var topic = await NewTopicAsync(2);
        var group = Group(Unique("g"));
        var a = await group.JoinAsync(Request(topic));
        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 8)]);

        var refused = await Assert.ThrowsAsync<OrlogException>(() => group.AlterOffsetsAsync([new(new(topic, 0), 0)]));
        Assert.Equal(ErrorCode.NonEmptyGroup, refused.Code);
        Assert.Equal(8, Assert.Single(await group.FetchOffsetsAsync(null)).Offset);

        await group.LeaveAsync(a.MemberId);
        await group.AlterOffsetsAsync([new(new(topic, 0), 0), new(new(topic, 1), 3, "reset")]);

        Assert.Equal([(0L, (string?)null), (3L, "reset")], (await group.FetchOffsetsAsync(null)).Select(c => (c.Offset, c.Metadata)));
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<OrlogException>(() => group.AlterOffsetsAsync([new(new(topic, 0), -5)]))).Code);
        Assert.Equal(0, (await group.FetchOffsetsAsync([new(topic, 0)]))[0].Offset);
    }

    [Fact]
    public async Task Delete_IsRefusedWhileMembersExist_ThenRemovesTheGroupAndItsListing()
    {
        var topic = await NewTopicAsync(1);
        var groupId = Unique("g");
        var group = Group(groupId);
        var a = await group.JoinAsync(Request(topic));
        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 1)]);
        Assert.Contains(groupId, await Directory().ListAsync());

        Assert.Equal(ErrorCode.NonEmptyGroup, (await Assert.ThrowsAsync<OrlogException>(() => group.DeleteAsync())).Code);
        Assert.Single(await group.FetchOffsetsAsync(null));

        await group.LeaveAsync(a.MemberId);
        await group.DeleteAsync();

        Assert.DoesNotContain(groupId, await Directory().ListAsync());
        Assert.Empty(await group.FetchOffsetsAsync(null));
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<OrlogException>(() => group.DescribeAsync())).Code);
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<OrlogException>(() => group.DeleteAsync())).Code);
    }

    [Fact]
    public async Task ExpireOffsets_KeepsOffsetsYoungerThanTheRetention()
    {
        var topic = await NewTopicAsync(1);
        var groupId = Unique("g");
        var group = Group(groupId);
        await group.CommitOffsetsAsync("", -1, [new(new(topic, 0), 4)]);

        Assert.False(await group.ExpireOffsetsAsync());

        Assert.Equal(4, Assert.Single(await group.FetchOffsetsAsync(null)).Offset);
        Assert.Contains(groupId, await Directory().ListAsync());
        var a = await group.JoinAsync(Request(topic));
        Assert.False(await group.ExpireOffsetsAsync());
        await group.LeaveAsync(a.MemberId);
        Assert.False(await group.ExpireOffsetsAsync());
        Assert.Equal(4, Assert.Single(await group.FetchOffsetsAsync(null)).Offset);
    }

    /// <summary>Syncs as a consumer does (again after giving something up) until the member holds its answer.</summary>
    private static async Task<GroupAssignment> SettleAsync(IConsumerGroupGrain group, GroupAssignment member)
    {
        var holding = member.Partitions;
        var generation = (await group.HeartbeatAsync(member.MemberId, member.Generation, NoWait)).Generation;
        for (var i = 0; i < 10; i++)
        {
            var answer = await group.SyncAsync(member.MemberId, generation, holding);
            if (answer.Partitions.ToHashSet().SetEquals(holding))
            {
                return answer;
            }

            // It stops reading what the answer left out, takes what it added, and reports that at once.
            holding = answer.Partitions;
            generation = answer.Generation;
        }

        Assert.Fail($"Member {member.MemberId} did not settle.");
        return member;
    }

    /// <summary>Deactivates the grain; its next call activates it afresh from storage.</summary>
    private async Task DeactivateAsync(IConsumerGroupGrain group)
    {
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(1, await management.GetGrainActivationCount((GrainReference)group, TestContext.Current.CancellationToken));
        await management.DeactivateGrain(group.GetGrainId(), TestContext.Current.CancellationToken);
        // Each turn asks the silo again (a grain call paces the loop); the deadline bounds a failure.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await management.GetGrainActivationCount((GrainReference)group, TestContext.Current.CancellationToken) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the group grain was not deactivated");
        }
    }

    private async Task<string> NewTopicAsync(int partitions)
    {
        var name = Unique("t");
        await fixture.Cluster.Client.GetGrain<ITopicGrain>(name).CreateAsync(new TopicSpec(name, partitions));
        return name;
    }

    private IConsumerGroupGrain Group(string groupId) => fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(groupId);

    private IConsumerGroupDirectoryGrain Directory() => fixture.Cluster.Client.GetGrain<IConsumerGroupDirectoryGrain>(IConsumerGroupDirectoryGrain.Key);

    private IPartitionGrain Partition(string topic, int partition) => fixture.Cluster.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(topic, partition));

    private static Immutable<byte[]> Batch(int records) => new(TestBatches.Build(records, 10, 1_700_000_000_000));

    private static JoinGroupRequest Request(
        string topic, string? instanceId = null, string assignor = CooperativeStickyAssignor.KafkaName, int sessionTimeoutMs = SessionTimeoutMs) =>
        new("", instanceId, "client", [topic], assignor, sessionTimeoutMs, 60_000);

    private static List<TopicPartition> Partitions(string topic, params int[] partitions) => [.. partitions.Select(p => new TopicPartition(topic, p))];

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
}
