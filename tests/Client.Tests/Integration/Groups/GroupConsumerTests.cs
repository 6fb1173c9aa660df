using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Xunit;
using static Orlog.Client.Integration.Groups.GroupTestCluster;

namespace Orlog.Client.Integration.Groups;

/// <summary>Consumers that share a topic through a group, against a real (in-process) broker.</summary>
[Collection(ClientClusterTests.Name)]
public sealed class GroupConsumerTests(ClientClusterFixture fixture)
{

    [Fact]
    public async Task ThreeMembers_ShareSixPartitions_AndPartitionsMoveWhenMembersLeaveOrDie()
    {
        var topic = await CreateTopicAsync(fixture, 6);
        var group = $"g-{Guid.NewGuid():N}";
        var a = Start("a", group, topic);
        var b = Start("b", group, topic, out var bConnection);
        var c = Start("c", group, topic);
        using var _ = new Disposer(a, b, c);

        await UntilAsync(() => Balanced([a, b, c], 2), "three members hold two partitions each", a, b, c);

        // A clean leave: c's partitions go to a and b; nothing a or b held is revoked (cooperative).
        var revokedBefore = (a.Revoked.Count, b.Revoked.Count);
        c.Dispose();
        await UntilAsync(() => Balanced([a, b], 3), "two members hold three partitions each after one left", a, b);
        Assert.Equal(revokedBefore, (a.Revoked.Count, b.Revoked.Count));

        // A new member: exactly the partitions that move are revoked, one from each, and they are the ones it gets.
        var d = Start("d", group, topic);
        using var __ = new Disposer(d);
        await UntilAsync(() => Balanced([a, b, d], 2), "three members again hold two partitions each", a, b, d);
        var moved = a.Revoked.Skip(revokedBefore.Item1).Concat(b.Revoked.Skip(revokedBefore.Item2)).SelectMany(p => p).ToHashSet();
        Assert.Equal(2, moved.Count);
        Assert.Equal(d.Assignment, moved);

        // A member that dies (no leave, no heartbeats): its partitions move once its session times out.
        bConnection.Kill();
        b.Abandon();
        await UntilAsync(() => Balanced([a, d], 3), "the two live members hold three partitions each after one died", a, d);
    }

    [Fact]
    public async Task PartitionsAddedToASubscribedTopic_AndANewSubscription_AreAssigned()
    {
        var first = await CreateTopicAsync(fixture, 2);
        var second = await CreateTopicAsync(fixture, 1);
        var member = Start("member", $"g-{Guid.NewGuid():N}", first);
        using var _ = new Disposer(member);
        await UntilAsync(() => member.Assignment.Count == 2, "the member holds both partitions", member);

        await using (var admin = new AdminClientBuilder(new AdminClientConfig()).SetGrainFactory(fixture.Cluster.Client).Build())
        {
            await admin.CreatePartitionsAsync([new PartitionsSpecification(first, 4)], TestContext.Current.CancellationToken);
        }

        await UntilAsync(() => member.Assignment.Count == 4, "the member holds the added partitions too", member);
        member.Resubscribe([first, second]);
        await UntilAsync(() => member.Assignment.Contains(new TopicPartition(second, 0)) && member.Assignment.Count == 5, "the member holds the newly subscribed topic's partition", member);
    }

    [Fact]
    public async Task AMemberThatStopsPolling_LeavesAfterMaxPollInterval_AndRejoinsWhenItPollsAgain()
    {
        var topic = await CreateTopicAsync(fixture, 2);
        var group = $"g-{Guid.NewGuid():N}";
        var busy = GroupTestCluster.Start(fixture, "busy", group, topic, out var unused, maxPollIntervalMs: 1_000);
        var steady = Start("steady", group, topic);
        using var _ = new Disposer(busy, steady);
        await UntilAsync(() => Balanced([busy, steady], 1), "each member holds one partition", busy, steady);

        busy.Abandon();
        await UntilAsync(() => steady.Assignment.Count == 2, "the steady member holds both partitions after the busy one left", steady);

        var until = DateTime.UtcNow + Deadline;
        while (!Balanced([busy, steady], 1) && DateTime.UtcNow < until)
        {
            busy.Consumer.Consume(TimeSpan.FromMilliseconds(20));
        }

        Assert.NotEmpty(busy.Lost);
        Assert.True(Balanced([busy, steady], 1), "The busy member did not get a partition back after polling again.");
    }

    [Fact]
    public async Task Close_LeavesTheGroupAtOnce_WithoutWaitingForTheSessionTimeout()
    {
        var topic = await CreateTopicAsync(fixture, 2);
        var group = $"g-{Guid.NewGuid():N}";
        var leaving = Start("leaving", group, topic, sessionTimeoutMs: 120_000);
        var staying = Start("staying", group, topic, sessionTimeoutMs: 120_000);
        using var _ = new Disposer(leaving, staying);
        await UntilAsync(() => Balanced([leaving, staying], 1), "each member holds one partition", leaving, staying);

        leaving.Dispose();

        await UntilAsync(() => staying.Assignment.Count == 2, "the staying member holds both partitions (the deadline is far below the 120 s session timeout)", staying);
        Assert.Single((await Group(fixture, group).DescribeAsync()).Members);
    }

    [Fact]
    public async Task CommittedOffsets_AreWhereTheNextMemberStarts()
    {
        var topic = await CreateTopicAsync(fixture, 1);
        var group = $"g-{Guid.NewGuid():N}";
        await ProduceAsync(topic, 10);
        using (var first = Build(group, autoCommit: false, reset: AutoOffsetReset.Earliest))
        {
            first.Subscribe(topic);
            var results = ConsumeN(first, 4);
            Assert.Equal([0L, 1, 2, 3], results.Select(r => r.Offset.Value));
            await first.CommitAsync(results[^1]);
            Assert.Equal(4, first.Committed([new TopicPartition(topic, 0)], Deadline).Single().Offset.Value);
        }

        using var second = Build(group, autoCommit: false, reset: AutoOffsetReset.Earliest);
        second.Subscribe(topic);
        Assert.Equal(4, ConsumeN(second, 1).Single().Offset.Value);
    }

    [Fact]
    public async Task AutoCommit_CommitsOnClose()
    {
        var topic = await CreateTopicAsync(fixture, 1);
        var group = $"g-{Guid.NewGuid():N}";
        await ProduceAsync(topic, 5);
        using (var consumer = Build(group, autoCommit: true, reset: AutoOffsetReset.Earliest))
        {
            consumer.Subscribe(topic);
            ConsumeN(consumer, 5);
        }

        var committed = await Group(fixture, group).FetchOffsetsAsync([new TopicPartition(topic, 0)]);
        Assert.Equal(5, committed.Single().Offset);
    }

    [Fact]
    public async Task AutoOffsetResetNone_WithoutCommittedOffset_RaisesUntilTheAppSeeks()
    {
        var topic = await CreateTopicAsync(fixture, 1);
        await ProduceAsync(topic, 3);
        using var consumer = Build($"g-{Guid.NewGuid():N}", autoCommit: false, reset: AutoOffsetReset.Error);
        consumer.Subscribe(topic);

        var error = Assert.Throws<ConsumeException>(() =>
        {
            var until = DateTime.UtcNow + Deadline;
            while (DateTime.UtcNow < until)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
        });

        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Equal(Offset.Unset, consumer.Position(new TopicPartition(topic, 0)));
        consumer.Seek(new TopicPartitionOffset(topic, 0, 1));
        Assert.Equal(1, ConsumeN(consumer, 1).Single().Offset.Value);
    }

    [Fact]
    public async Task StaticMember_RestartingWithinTheSession_GetsItsPartitionsBackWithoutARebalance()
    {
        var topic = await CreateTopicAsync(fixture, 4);
        var group = $"g-{Guid.NewGuid():N}";
        var other = Start("other", group, topic);
        var first = Start("static-1", group, topic, instanceId: "instance-1", sessionTimeoutMs: 20_000);
        using var _ = new Disposer(other);
        await UntilAsync(() => Balanced([other, first], 2), "two members hold two partitions each", other, first);
        var held = first.Assignment;
        var generation = (await Group(fixture, group).DescribeAsync()).Generation;
        var otherRevocations = other.Revoked.Count;

        first.Dispose();
        var second = Start("static-2", group, topic, instanceId: "instance-1", sessionTimeoutMs: 20_000);
        using var __ = new Disposer(second);
        await UntilAsync(() => second.Assignment.SetEquals(held), "the restarted static member holds its partitions again", second);

        Assert.Equal(generation, (await Group(fixture, group).DescribeAsync()).Generation);
        Assert.Equal(otherRevocations, other.Revoked.Count);
    }

    [Fact]
    public async Task ConsumerOutsideTheGroup_CannotCommitWhileTheGroupHasMembers()
    {
        var topic = await CreateTopicAsync(fixture, 2);
        // The outsider commits to a topic the member does not read, so the member's own auto-commits cannot mask a stored offset.
        var outsidersTopic = await CreateTopicAsync(fixture, 1);
        var group = $"g-{Guid.NewGuid():N}";
        var member = Start("member", group, topic);
        using var _ = new Disposer(member);
        await UntilAsync(() => member.Assignment.Count == 2, "the member holds both partitions", member);
        using var outsider = Build(group, autoCommit: false, reset: AutoOffsetReset.Earliest);
        outsider.Assign([new TopicPartitionOffset(outsidersTopic, 0, 0)]);

        var error = Assert.Throws<OrlogException>(() => outsider.Commit([new TopicPartitionOffset(outsidersTopic, 0, 1)]));

        Assert.Equal(ErrorCode.UnknownMemberId, error.Code);
        Assert.Empty(await Group(fixture, group).FetchOffsetsAsync([new TopicPartition(outsidersTopic, 0)]));
    }

    private ConsumerLoop Start(string name, string group, string topic, string? instanceId = null, int sessionTimeoutMs = SessionTimeoutMs) =>
        GroupTestCluster.Start(fixture, name, group, topic, out _, instanceId, sessionTimeoutMs);

    private ConsumerLoop Start(string name, string group, string topic, out KillableGroupClient connection) =>
        GroupTestCluster.Start(fixture, name, group, topic, out connection);

    private IConsumer<string, string> Build(string group, bool autoCommit, AutoOffsetReset reset) =>
        new ConsumerBuilder<string, string>(Config(group, autoCommit, reset)).SetGrainFactory(fixture.Cluster.Client).Build();

    private static List<ConsumeResult<string, string>> ConsumeN(IConsumer<string, string> consumer, int count)
    {
        var results = new List<ConsumeResult<string, string>>();
        var until = DateTime.UtcNow + Deadline;
        while (results.Count < count && DateTime.UtcNow < until)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
            {
                results.Add(result);
            }
        }

        Assert.Equal(count, results.Count);
        return results;
    }

    private async Task ProduceAsync(string topic, int count)
    {
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 1 }).SetGrainFactory(fixture.Cluster.Client).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = null!, Value = $"{i}" }, TestContext.Current.CancellationToken);
        }
    }
}
