using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Groups;
using Xunit;

namespace Orlog.Client.Integration.Admin;

/// <summary>
/// The admin client's consumer-group calls against a real (in-process) broker. Every test gets a
/// topic of two partitions: partition 0 holds offsets 2 to 9 (0 and 1 deleted, so clamping to the
/// log start shows), partition 1 holds offsets 0 to 5; both with known timestamps.
/// </summary>
[Collection(ClientClusterTests.Name)]
public sealed class GroupAdminTests(ClientClusterFixture fixture) : IAsyncLifetime
{
    /// <summary>Log start and log end of partitions 0 and 1.</summary>
    private const long Start0 = 2, End0 = 10, Start1 = 0, End1 = 6;

    /// <summary>Record i of partition 0 has timestamp <see cref="_base"/> + i s, of partition 1 <see cref="_base"/> + 2i s.</summary>
    private readonly DateTimeOffset _base = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
    private readonly string _topic = $"ga-{Guid.NewGuid():N}"[..16];
    private IAdminClient _admin = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, long, long> Resets => new()
    {
        { "to-earliest", Start0, Start1 },
        { "to-latest", End0, End1 },
        { "to-datetime between records", 5, 3 },
        { "to-datetime after every record", End0, End1 },
        { "to-datetime before every record", Start0, Start1 },
        { "to-offset inside both logs", 4, 4 },
        { "to-offset below the log start", Start0, Start1 },
        { "to-offset past the log end", End0, End1 },
        { "shift-by back from the committed offset", Start0, 1 },
        { "shift-by forward from the committed offset", 8, End1 },
        { "shift-by the most there is", End0, End1 },
    };

    public async ValueTask InitializeAsync()
    {
        _admin = new AdminClientBuilder(new AdminClientConfig()).SetGrainFactory(fixture.Cluster.Client).Build();
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = _topic, NumPartitions = 2 }], Cancel);
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 1 }).SetGrainFactory(fixture.Cluster.Client).Build();
        for (var i = 0; i < End0; i++)
        {
            await producer.ProduceAsync(new TopicPartition(_topic, 0), Record(i, _base.AddSeconds(i)), Cancel);
        }

        for (var i = 0; i < End1; i++)
        {
            await producer.ProduceAsync(new TopicPartition(_topic, 1), Record(i, _base.AddSeconds(2 * i)), Cancel);
        }

        var deleted = await _admin.DeleteRecordsAsync([new TopicPartitionOffset(_topic, 0, Start0)], Cancel);
        Assert.Equal(Start0, deleted.Single().LowWatermark.Value);
    }

    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();

    [Theory]
    [MemberData(nameof(Resets))]
    public async Task Reset_MovesEveryPartition_ClampedIntoItsLog(string reset, long expected0, long expected1)
    {
        var group = NewGroup();
        await ResetAsync(group, OffsetResetSpec.ToOffset(5));

        var result = await ResetAsync(group, Spec(reset));

        Assert.Equal([(0, expected0), (1, expected1)], Offsets(result));
        Assert.Equal([(0, expected0), (1, expected1)], await CommittedAsync(group));
    }

    [Fact]
    public async Task ShiftBy_WithoutCommittedOffsets_MovesFromTheLogStart()
    {
        var group = NewGroup();

        var result = await ResetAsync(group, OffsetResetSpec.ShiftBy(1));

        Assert.Equal([(0, Start0 + 1), (1, Start1 + 1)], Offsets(result));
        Assert.Equal([(0, Start0 + 1), (1, Start1 + 1)], await CommittedAsync(group));
    }

    [Fact]
    public async Task DryRun_ReturnsThePlan_AndChangesNothing()
    {
        var group = NewGroup();
        await ResetAsync(group, OffsetResetSpec.ToOffset(5));

        var plan = await _admin.ResetConsumerGroupOffsetsAsync(group, _topic, OffsetResetSpec.ToEarliest(), dryRun: true, Cancel);

        Assert.Equal([(0, Start0), (1, Start1)], Offsets(plan));
        Assert.Equal([(0, 5L), (1, 5L)], await CommittedAsync(group));

        // A dry run for a group that does not exist does not create it.
        var unknown = NewGroup();
        Assert.Equal([(0, End0), (1, End1)], Offsets(await _admin.ResetConsumerGroupOffsetsAsync(unknown, _topic, OffsetResetSpec.ToLatest(), dryRun: true, Cancel)));
        Assert.DoesNotContain(unknown, await _admin.ListConsumerGroupsAsync(Cancel));
    }

    [Fact]
    public async Task Reset_WhileTheGroupHasAMember_IsRefused_AndChangesNothing()
    {
        var group = NewGroup();
        await ResetAsync(group, OffsetResetSpec.ToOffset(5));
        var joined = await Join(group);

        var error = await Assert.ThrowsAsync<OrlogException>(() => ResetAsync(group, OffsetResetSpec.ToEarliest()));
        Assert.Equal(ErrorCode.NonEmptyGroup, error.Code);
        var dryRun = await Assert.ThrowsAsync<OrlogException>(() => _admin.ResetConsumerGroupOffsetsAsync(group, _topic, OffsetResetSpec.ToEarliest(), dryRun: true, Cancel));
        Assert.Equal(ErrorCode.NonEmptyGroup, dryRun.Code);
        Assert.Equal([(0, 5L), (1, 5L)], await CommittedAsync(group));

        // Once the member has left, the same reset goes through.
        await fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(group).LeaveAsync(joined.MemberId);
        await ResetAsync(group, OffsetResetSpec.ToEarliest());
        Assert.Equal([(0, Start0), (1, Start1)], await CommittedAsync(group));
    }

    [Fact]
    public async Task Describe_ShowsTheMember_AndLagIsLogEndMinusCommitted()
    {
        var group = NewGroup();
        await ResetAsync(group, OffsetResetSpec.ToOffset(4));
        var joined = await Join(group);

        var description = await _admin.DescribeConsumerGroupAsync(group, Cancel);

        Assert.Equal(group, description.GroupId);
        Assert.Equal("cooperative-sticky", description.Assignor);
        var member = Assert.Single(description.Members);
        Assert.Equal((joined.MemberId, "c"), (member.MemberId, member.ClientId));
        Assert.Equal(
            [(0, 4L, End0, End0 - 4, joined.MemberId), (1, 4L, End1, End1 - 4, joined.MemberId)],
            description.Partitions.Select(p => (p.Partition.Partition, p.CommittedOffset, p.LogEndOffset, p.Lag, p.MemberId)));
        await fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(group).LeaveAsync(joined.MemberId);
    }

    [Fact]
    public async Task ListDescribeDelete_OfAGroupWithOffsets()
    {
        var group = NewGroup();
        var other = NewGroup();
        await ResetAsync(group, OffsetResetSpec.ToLatest());
        await ResetAsync(other, OffsetResetSpec.ToEarliest());

        var listed = await _admin.ListConsumerGroupsAsync(Cancel);
        Assert.Contains(group, listed);
        Assert.Contains(other, listed);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);

        var description = await _admin.DescribeConsumerGroupAsync(group, Cancel);
        Assert.Equal((GroupState.Empty, 0), (description.State, description.Members.Count));
        Assert.Equal([(0, End0, 0L), (1, End1, 0L)], description.Partitions.Select(p => (p.Partition.Partition, p.CommittedOffset, p.Lag)));

        await _admin.DeleteConsumerGroupsAsync([group], Cancel);

        listed = await _admin.ListConsumerGroupsAsync(Cancel);
        Assert.DoesNotContain(group, listed);
        Assert.Contains(other, listed);
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<OrlogException>(() => _admin.DescribeConsumerGroupAsync(group, Cancel))).Code);
        Assert.Empty(await fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(group).FetchOffsetsAsync(null));
    }

    [Fact]
    public async Task DeleteSeveral_DeletesTheOthers_AndThrowsTheFirstFailureInInputOrder()
    {
        var (first, second) = (NewGroup(), NewGroup());
        var (missingA, missingB) = (NewGroup(), NewGroup());
        await ResetAsync(first, OffsetResetSpec.ToEarliest());
        await ResetAsync(second, OffsetResetSpec.ToEarliest());

        var error = await Assert.ThrowsAsync<OrlogException>(() => _admin.DeleteConsumerGroupsAsync([first, missingA, second, missingB], Cancel));

        Assert.Equal(ErrorCode.GroupIdNotFound, error.Code);
        Assert.Contains(missingA, error.Message, StringComparison.Ordinal);
        var listed = await _admin.ListConsumerGroupsAsync(Cancel);
        Assert.DoesNotContain(first, listed);
        Assert.DoesNotContain(second, listed);
    }

    [Fact]
    public async Task Errors_PassThroughWithTheirCodes()
    {
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<OrlogException>(() => _admin.DescribeConsumerGroupAsync(NewGroup(), Cancel))).Code);
        Assert.Equal(ErrorCode.InvalidGroupId, (await Assert.ThrowsAsync<OrlogException>(() => _admin.DescribeConsumerGroupAsync(" ", Cancel))).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<OrlogException>(() => ResetAsync(NewGroup(), OffsetResetSpec.ToEarliest(), "no-such-topic"))).Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => OffsetResetSpec.ToOffset(-1));
    }

    private OffsetResetSpec Spec(string reset) => reset switch
    {
        "to-earliest" => OffsetResetSpec.ToEarliest(),
        "to-latest" => OffsetResetSpec.ToLatest(),

        // Partition 0 has a record at +5 s (offset 5); partition 1 at +4 s (offset 2) and +6 s (offset 3).
        "to-datetime between records" => OffsetResetSpec.ToDateTime(_base.AddSeconds(4.5)),
        "to-datetime after every record" => OffsetResetSpec.ToDateTime(_base.AddHours(1)),
        "to-datetime before every record" => OffsetResetSpec.ToDateTime(_base.AddHours(-1)),
        "to-offset inside both logs" => OffsetResetSpec.ToOffset(4),
        "to-offset below the log start" => OffsetResetSpec.ToOffset(0),
        "to-offset past the log end" => OffsetResetSpec.ToOffset(100),

        // From the committed 5: 5 - 4 = 1 is below partition 0's log start; 5 + 3 = 8 is past partition 1's end.
        "shift-by back from the committed offset" => OffsetResetSpec.ShiftBy(-4),
        "shift-by forward from the committed offset" => OffsetResetSpec.ShiftBy(3),
        "shift-by the most there is" => OffsetResetSpec.ShiftBy(long.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(reset), reset, "No such reset."),
    };

    private Task<IReadOnlyList<TopicPartitionOffset>> ResetAsync(string group, OffsetResetSpec spec, string? topic = null) =>
        _admin.ResetConsumerGroupOffsetsAsync(group, topic ?? _topic, spec, dryRun: false, Cancel);

    private async Task<IEnumerable<(int, long)>> CommittedAsync(string group) =>
        (await fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(group).FetchOffsetsAsync(null)).Select(c => (c.Partition.Partition, c.Offset));

    private Task<GroupAssignment> Join(string group) =>
        fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(group).JoinAsync(new JoinGroupRequest("", null, "c", [_topic], "cooperative-sticky", 60000, 60000));

    private static IEnumerable<(int, long)> Offsets(IReadOnlyList<TopicPartitionOffset> offsets) => offsets.Select(o => (o.Partition, o.Offset.Value));

    private static string NewGroup() => $"ga-{Guid.NewGuid():N}";

    private static Message<string, string> Record(int i, DateTimeOffset time) => new() { Key = null!, Value = $"{i}", Timestamp = new Timestamp(time) };
}
