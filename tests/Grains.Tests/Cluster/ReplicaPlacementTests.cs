using Orlog.Errors;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Cluster;

public sealed class ReplicaPlacementTests
{
    private static readonly BrokerIdentity[] ThreeBrokers = [new(1, null), new(2, null), new(3, null)];

    [Fact]
    public void NewTopic_LeadersSpreadEvenly_OverLiveBrokers()
    {
        var replicas = new List<int[]>();
        ReplicaPlacement.AssignNew(ThreeBrokers, [], replicas, partitions: 7, replicationFactor: 1);

        Assert.Equal(7, replicas.Count);
        var perBroker = replicas.GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([1, 2, 3], perBroker.Keys.Order());
        Assert.True(perBroker.Values.Max() - perBroker.Values.Min() <= 1, $"Uneven spread: {string.Join(", ", perBroker)}");
    }

    [Fact]
    public void ReplicasOfAPartition_AreOnDistinctBrokers_InDistinctZones_WhileThereAreZonesLeft()
    {
        BrokerIdentity[] brokers = [new(1, "a"), new(2, "a"), new(3, "b"), new(4, "b"), new(5, "c"), new(6, "c")];
        var zoneOf = brokers.ToDictionary(b => b.BrokerId, b => b.Zone);
        var replicas = new List<int[]>();
        ReplicaPlacement.AssignNew(brokers, [], replicas, partitions: 12, replicationFactor: 3);

        Assert.All(replicas, r =>
        {
            Assert.Equal(3, r.Distinct().Count());
            Assert.Equal(3, r.Select(b => zoneOf[b]).Distinct().Count());
        });
        var held = replicas.SelectMany(r => r).GroupBy(b => b).Select(g => g.Count()).ToList();
        Assert.Equal((6, 6, 6), (held.Count, held.Min(), held.Max()));
        var led = replicas.GroupBy(r => r[0]).Select(g => g.Count()).ToList();
        Assert.Equal((6, 2, 2), (led.Count, led.Min(), led.Max()));
    }

    [Fact]
    public void LeadersSpreadOverZones_WhenZonesHaveUnequalBrokers()
    {
        BrokerIdentity[] brokers = [new(1, "a"), new(2, "a"), new(3, "b")];
        var replicas = new List<int[]>();
        ReplicaPlacement.AssignNew(brokers, [], replicas, partitions: 2, replicationFactor: 1);

        Assert.Equal(["a", "b"], replicas.Select(r => brokers.Single(b => b.BrokerId == r[0]).Zone).Order());
    }

    [Fact]
    public void ANewTopic_FillsTheBrokersOtherTopicsLeftEmptier()
    {
        int[][] existing = [[1], [1], [2]];
        var replicas = new List<int[]>();
        ReplicaPlacement.AssignNew(ThreeBrokers, existing, replicas, partitions: 1, replicationFactor: 1);

        Assert.Equal(3, Assert.Single(replicas)[0]);
    }

    [Fact]
    public void AddedPartitions_KeepTheExistingOnes_AndEvenTheTopicOut()
    {
        List<int[]> replicas = [[1], [1]];
        ReplicaPlacement.AssignNew(ThreeBrokers, replicas, replicas, partitions: 6, replicationFactor: 1);

        Assert.Equal([1, 1], replicas.Take(2).Select(r => r[0]));
        Assert.Equal([1, 1, 2, 2, 3, 3], replicas.Select(r => r[0]).Order());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    public void AReplicationFactorTheLiveBrokersCannotHold_IsRefused_AndAssignsNothing(int replicationFactor)
    {
        var replicas = new List<int[]>();
        var error = Assert.Throws<OrlogException>(() => ReplicaPlacement.AssignNew(ThreeBrokers, [], replicas, 3, replicationFactor));

        Assert.Equal(ErrorCode.InvalidReplicationFactor, error.Code);
        Assert.Empty(replicas);
    }
}
