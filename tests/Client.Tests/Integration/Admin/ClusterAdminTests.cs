using Orlog.Errors;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Client.Integration.Admin;

/// <summary>Brokers and partition placement through the admin client, on the one-silo test cluster.</summary>
[Collection(ClientClusterTests.Name)]
public sealed class ClusterAdminTests(ClientClusterFixture fixture) : IAsyncLifetime
{
    private IAdminClient _admin = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _admin = new AdminClientBuilder(new AdminClientConfig()).SetGrainFactory(fixture.Cluster.Client).Build();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ANewTopic_IsPlacedOnTheLiveBroker_AndCountsTowardsWhatItHolds()
    {
        var topic = $"ca-{Guid.NewGuid():N}"[..16];
        var before = Assert.Single(await _admin.DescribeBrokersAsync(Cancel));

        await _admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 3 }], Cancel);

        var broker = Assert.Single(await _admin.DescribeBrokersAsync(Cancel));
        Assert.True(broker.Online);
        Assert.NotNull(broker.Address);
        Assert.Equal((before.Partitions + 3, before.Leaders + 3), (broker.Partitions, broker.Leaders));
        var partitions = await _admin.DescribePartitionsAsync(topic, Cancel);
        Assert.Equal([0, 1, 2], partitions.Select(p => p.Partition));
        Assert.All(partitions, p => Assert.Equal((broker.BrokerId, true, broker.BrokerId), (p.Leader, p.Online, Assert.Single(p.Replicas))));
    }

    [Fact]
    public async Task AddedPartitions_GetABroker_AndADeletedTopicGivesItsPartitionsBack()
    {
        var topic = $"ca-{Guid.NewGuid():N}"[..16];
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1 }], Cancel);
        await _admin.CreatePartitionsAsync([new PartitionsSpecification(topic, 4)], Cancel);
        Assert.All(await _admin.DescribePartitionsAsync(topic, Cancel), p => Assert.True(p.Online && p.Leader >= 0));
        var held = Assert.Single(await _admin.DescribeBrokersAsync(Cancel)).Partitions;

        await _admin.DeleteTopicsAsync([topic], Cancel);

        Assert.Equal(held - 4, Assert.Single(await _admin.DescribeBrokersAsync(Cancel)).Partitions);
        var error = await Assert.ThrowsAsync<OrlogException>(() => _admin.DescribePartitionsAsync(topic, Cancel));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
    }

    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();
}
