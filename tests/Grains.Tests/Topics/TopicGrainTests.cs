using Orlog.Cluster;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Xunit;

namespace Orlog.Topics;

[Collection(BrokerClusterTests.Name)]
public sealed class TopicGrainTests(BrokerClusterFixture fixture)
{
    [Fact]
    public async Task Create_Describe_List()
    {
        var name = Unique("orders");
        var created = await Topic(name).CreateAsync(new TopicSpec(name, 3, 1, new Dictionary<string, string> { ["retention.ms"] = "60000" }));
        var described = await Topic(name).DescribeAsync();

        Assert.Equal((name, 3, (short)1), (created.Name, created.Partitions, created.ReplicationFactor));
        Assert.Equal("60000", described.Configs["retention.ms"]);
        Assert.Contains(name, await Directory().ListAsync());
    }

    [Fact]
    public async Task Create_AnExistingTopic_IsTopicAlreadyExists()
    {
        var name = Unique("twice");
        await Topic(name).CreateAsync(new TopicSpec(name, 1));

        var error = await Assert.ThrowsAsync<OrlogException>(() => Topic(name).CreateAsync(new TopicSpec(name, 2)));

        Assert.Equal(ErrorCode.TopicAlreadyExists, error.Code);
        Assert.Equal(1, (await Topic(name).DescribeAsync()).Partitions);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("ünïcode")]
    public async Task Create_WithAnInvalidName_IsInvalidTopic(string name)
    {
        var error = await Assert.ThrowsAsync<OrlogException>(() => Topic(name.Length == 0 ? "empty" : name).CreateAsync(new TopicSpec(name, 1)));

        Assert.Equal(ErrorCode.InvalidTopic, error.Code);
    }

    [Fact]
    public async Task Create_WithANameOver249Characters_IsInvalidTopic()
    {
        var name = new string('a', 250);

        var error = await Assert.ThrowsAsync<OrlogException>(() => Topic(name).CreateAsync(new TopicSpec(name, 1)));

        Assert.Equal(ErrorCode.InvalidTopic, error.Code);
    }

    [Theory]
    [InlineData(0, 1, ErrorCode.InvalidPartitions)]
    [InlineData(-3, 1, ErrorCode.InvalidPartitions)]
    [InlineData(100_001, 1, ErrorCode.InvalidPartitions)]
    [InlineData(1, 3, ErrorCode.InvalidReplicationFactor)]
    [InlineData(1, 0, ErrorCode.InvalidReplicationFactor)]
    public async Task Create_WithImpossibleCounts_IsRefusedAndStoresNothing(int partitions, short replicationFactor, ErrorCode expected)
    {
        var name = Unique("counts");

        var error = await Assert.ThrowsAsync<OrlogException>(() => Topic(name).CreateAsync(new TopicSpec(name, partitions, replicationFactor, new Dictionary<string, string>())));

        Assert.Equal(expected, error.Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<OrlogException>(() => Topic(name).DescribeAsync())).Code);
    }

    [Theory]
    [InlineData("retention.ms", "soon")]
    [InlineData("segment.bytes", "-5")]
    [InlineData("flush.policy", "sometimes")]
    [InlineData("cleanup.policy", "compact")]
    [InlineData("no.such.config", "1")]
    public async Task Create_WithABadConfig_IsInvalidConfig(string config, string value)
    {
        var name = Unique("configs");

        var error = await Assert.ThrowsAsync<OrlogException>(() => Topic(name).CreateAsync(new TopicSpec(name, 1, 1, new Dictionary<string, string> { [config] = value })));

        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
        Assert.Contains(config, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlterConfigs_SetsAndRemoves_AndRefusesBadValuesWhole()
    {
        var name = Unique("alter");
        await Topic(name).CreateAsync(new TopicSpec(name, 2, 1, new Dictionary<string, string> { ["retention.ms"] = "1000" }));

        var altered = await Topic(name).AlterConfigsAsync(new Dictionary<string, string?> { ["retention.ms"] = null, ["segment.bytes"] = "1048576" });
        var error = await Assert.ThrowsAsync<OrlogException>(() => Topic(name).AlterConfigsAsync(new Dictionary<string, string?> { ["segment.bytes"] = "2048", ["max.message.bytes"] = "x" }));

        Assert.False(altered.Configs.ContainsKey("retention.ms"));
        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
        Assert.Equal("1048576", (await Topic(name).DescribeAsync()).Configs["segment.bytes"]);
    }

    [Fact]
    public async Task AddPartitions_OnlyGrows()
    {
        var name = Unique("grow");
        await Topic(name).CreateAsync(new TopicSpec(name, 2));

        var grown = await Topic(name).AddPartitionsAsync(5);
        var error = await Assert.ThrowsAsync<OrlogException>(() => Topic(name).AddPartitionsAsync(4));

        Assert.Equal(5, grown.Partitions);
        Assert.Equal(ErrorCode.InvalidPartitions, error.Code);
    }

    [Fact]
    public async Task UnknownTopic_IsUnknownTopicOrPartition_ForEveryOperation()
    {
        var topic = Topic(Unique("missing"));

        foreach (var call in new Func<Task>[]
        {
            () => topic.DescribeAsync(),
            () => topic.AlterConfigsAsync(new Dictionary<string, string?>()),
            () => topic.AddPartitionsAsync(3),
            () => topic.DeleteAsync(),
        })
        {
            Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<OrlogException>(call)).Code);
        }
    }

    [Fact]
    public async Task Delete_RemovesTheSpecTheDataAndTheListing_AndTheNameCanBeUsedAgain()
    {
        var name = Unique("gone");
        await Topic(name).CreateAsync(new TopicSpec(name, 2));
        await fixture.Cluster.Client.GetGrain<Partitions.IPartitionGrain>(Partitions.PartitionKey.Format(name, 1))
            .ProduceAsync(new Orleans.Concurrency.Immutable<byte[]>(Log.TestBatches.Build(3, 10, 1000)), Partitions.Acks.Leader);
        Assert.True(System.IO.Directory.Exists(Path.Combine(fixture.DataDir, "logs", $"{name}-1")));

        await Topic(name).DeleteAsync();

        Assert.False(System.IO.Directory.Exists(Path.Combine(fixture.DataDir, "logs", $"{name}-1")));
        Assert.DoesNotContain(name, await Directory().ListAsync());
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<OrlogException>(() => Topic(name).DescribeAsync())).Code);
        Assert.Equal(1, (await Topic(name).CreateAsync(new TopicSpec(name, 1))).Partitions);
    }

    private ITopicGrain Topic(string name) => fixture.Cluster.Client.GetGrain<ITopicGrain>(name);

    private ITopicDirectoryGrain Directory() => fixture.Cluster.Client.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
}
