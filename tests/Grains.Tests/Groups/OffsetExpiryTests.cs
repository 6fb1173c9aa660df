using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Groups.Assignment;
using Orlog.Hosting;
using Orlog.Log;
using Orlog.Topics;
using Xunit;

namespace Orlog.Groups;

/// <summary>
/// Offset expiry (<c>offsets.retention.minutes</c> = 1) on a silo whose clock is a
/// <see cref="FakeTimeProvider"/>, moved by the tests. The expiry service's own period is left
/// far beyond what the tests advance, so only the tests decide when a check runs.
/// </summary>
[Collection(OffsetExpiryClusterTests.Name)]
public sealed class OffsetExpiryTests(OffsetExpiryClusterFixture fixture)
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Offsets_AreKeptWhileTheGroupHasMembers_AndExpireOnceItHasBeenEmptyForTheRetention()
    {
        var topic = await NewTopicAsync(1);
        var groupId = Unique("g");
        var group = Group(groupId);
        var a = await group.JoinAsync(Request(topic));
        await group.CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 12)]);

        // Long past the retention, but with a member.
        fixture.Time.Advance(Retention * 2);
        Assert.False(await group.ExpireOffsetsAsync());
        Assert.Equal(12, Assert.Single(await group.FetchOffsetsAsync(null)).Offset);

        // The retention counts from when the last member left, not from the commit.
        await group.LeaveAsync(a.MemberId);
        fixture.Time.Advance(Retention - TimeSpan.FromSeconds(1));
        Assert.False(await group.ExpireOffsetsAsync());
        Assert.Equal(12, Assert.Single(await group.FetchOffsetsAsync(null)).Offset);

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await group.ExpireOffsetsAsync());

        Assert.Empty(await group.FetchOffsetsAsync(null));
        Assert.DoesNotContain(groupId, await Directory().ListAsync());
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<OrlogException>(() => group.DescribeAsync())).Code);
    }

    [Fact]
    public async Task EachOffset_ExpiresByItsOwnCommitTime_InAGroupWithoutMembers()
    {
        var topic = await NewTopicAsync(2);
        var groupId = Unique("g");
        var group = Group(groupId);
        await group.CommitOffsetsAsync("", -1, [new(new(topic, 0), 1)]);
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await group.CommitOffsetsAsync("", -1, [new(new(topic, 1), 2)]);

        fixture.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await group.ExpireOffsetsAsync());
        Assert.Equal(new TopicPartition(topic, 1), Assert.Single(await group.FetchOffsetsAsync(null)).Partition);
        Assert.Contains(groupId, await Directory().ListAsync());

        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await group.ExpireOffsetsAsync());
        Assert.Empty(await group.FetchOffsetsAsync(null));
        Assert.DoesNotContain(groupId, await Directory().ListAsync());
    }

    [Fact]
    public async Task TheExpiryPass_GoesOverEveryListedGroup()
    {
        var topic = await NewTopicAsync(1);
        var expiring = Unique("old");
        var member = Unique("live");
        await Group(expiring).CommitOffsetsAsync("", -1, [new(new(topic, 0), 3)]);
        var a = await Group(member).JoinAsync(Request(topic));
        await Group(member).CommitOffsetsAsync(a.MemberId, a.Generation, [new(new(topic, 0), 4)]);

        fixture.Time.Advance(Retention + TimeSpan.FromSeconds(1));
        await fixture.ExpiryService.ExpireAllAsync();

        var listed = await Directory().ListAsync();
        Assert.DoesNotContain(expiring, listed);
        Assert.Empty(await Group(expiring).FetchOffsetsAsync(null));
        Assert.Contains(member, listed);
        Assert.Equal(4, Assert.Single(await Group(member).FetchOffsetsAsync(null)).Offset);
    }

    [Fact]
    public async Task AGroupThatNeverCommitted_IsForgottenOnceEmptyForTheRetention()
    {
        var topic = await NewTopicAsync(1);
        var groupId = Unique("g");
        var group = Group(groupId);
        var a = await group.JoinAsync(Request(topic));
        await group.LeaveAsync(a.MemberId);
        Assert.Contains(groupId, await Directory().ListAsync());

        fixture.Time.Advance(Retention + TimeSpan.FromSeconds(1));
        var gone = await group.ExpireOffsetsAsync();

        // Describe already says the group does not exist; the directory should agree once the retention is over.
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<OrlogException>(() => group.DescribeAsync())).Code);
        Assert.DoesNotContain(groupId, await Directory().ListAsync());
        Assert.True(gone);
    }

    private async Task<string> NewTopicAsync(int partitions)
    {
        var name = Unique("t");
        await fixture.Cluster.Client.GetGrain<ITopicGrain>(name).CreateAsync(new TopicSpec(name, partitions));
        return name;
    }

    private IConsumerGroupGrain Group(string groupId) => fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(groupId);

    private IConsumerGroupDirectoryGrain Directory() => fixture.Cluster.Client.GetGrain<IConsumerGroupDirectoryGrain>(IConsumerGroupDirectoryGrain.Key);

    // The session timeout is the longest allowed, so the group's timer never removes a member while a test moves the clock.
    private static JoinGroupRequest Request(string topic) =>
        new("", null, "client", [topic], CooperativeStickyAssignor.KafkaName, ConsumerGroupOptions.DefaultMaxSessionTimeoutMs, ConsumerGroupOptions.DefaultMaxSessionTimeoutMs);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
}

/// <summary>A one-silo test cluster with a 1-minute offset retention and a fake clock.</summary>
public sealed class OffsetExpiryClusterFixture : IAsyncLifetime
{
    private const string DataDirKey = "OrlogTestDataDir";
    private readonly TempDirectory _data = new();

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The silo's clock.</summary>
    public FakeTimeProvider Time { get; private set; } = null!;

    internal OffsetsExpiryService ExpiryService { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[DataDirKey] = _data.Path;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        var silo = Cluster.Primary as InProcessSiloHandle ?? throw new InvalidOperationException("The silo does not run in this process.");
        var services = silo.ServiceProvider;
        Time = (FakeTimeProvider)services.GetRequiredService<TimeProvider>();
        ExpiryService = services.GetServices<IHostedService>().OfType<OffsetsExpiryService>().Single();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _data.Dispose();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var dataDir = siloBuilder.Configuration[DataDirKey] ?? throw new InvalidOperationException("The test cluster has no data directory.");
            siloBuilder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
            siloBuilder.Services.Configure<ConsumerGroupOptions>(options =>
            {
                options.OffsetsRetentionMinutes = 1;
                options.OffsetsRetentionCheckIntervalMs = int.MaxValue;
            });
            siloBuilder.AddOrlogOnLocalDisk(dataDir);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OffsetExpiryClusterTests : ICollectionFixture<OffsetExpiryClusterFixture>
{
    public const string Name = "offset expiry cluster";
}
