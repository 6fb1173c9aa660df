using Orlog.Cluster;
using Orlog.Groups;
using Xunit;

namespace Orlog.Client.Integration.Groups;

/// <summary>
/// A rolling upgrade as docs/OPERATIONS.md describes it: every silo of a two-silo cluster is stopped
/// and started again, one at a time, so the consumer group's grain moves at least once. Static
/// members keep their partitions throughout: no new generation, nothing revoked or lost, and every
/// record produced before and after is consumed.
/// </summary>
public sealed class RollingRestartTests() : MultiSiloBroker("orlog-rolling-", 2)
{
    private const int Partitions = 4;
    private const int Records = 100;
    private const int StaticSessionTimeoutMs = 30_000;

    [Fact]
    public async Task StaticMembers_KeepTheirPartitionsAndGeneration_WhileEverySiloRestartsInTurn()
    {
        var topic = $"rr-{Guid.NewGuid():N}"[..16];
        var group = $"g-{Guid.NewGuid():N}";
        await using (var admin = new AdminClientBuilder(new AdminClientConfig()).SetGrainFactory(Cluster.Client).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = Partitions, ReplicationFactor = 2 }], TestContext.Current.CancellationToken);
        }

        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetGrainFactory(Cluster.Client).Build();
        var a = GroupTestCluster.Start(Cluster.Client, "a", group, topic, out _, "instance-a", StaticSessionTimeoutMs);
        var b = GroupTestCluster.Start(Cluster.Client, "b", group, topic, out _, "instance-b", StaticSessionTimeoutMs);
        using var members = new GroupTestCluster.Disposer(a, b);
        var produced = await ProduceAsync(producer, topic, "before");
        await GroupTestCluster.UntilAsync(() => GroupTestCluster.Balanced([a, b], Partitions / 2) && Consumed([a, b]).IsSupersetOf(produced), "both members hold two partitions and read every record", a, b);
        var generation = (await GroupOf(group).DescribeAsync()).Generation;
        var held = (A: a.Assignment, B: b.Assignment);
        var changes = (a.Revoked.Count, a.Lost.Count, b.Revoked.Count, b.Lost.Count);

        foreach (var silo in Cluster.Silos.ToList())
        {
            await UntilAsync(() => AllInSyncAsync(topic), "every partition has both replicas in sync");
            await Cluster.StopSiloAsync(silo, TestContext.Current.CancellationToken);
            await Cluster.StartSiloAsync(silo.InstanceNumber, Cluster.Options, TestContext.Current.CancellationToken);
        }

        produced.UnionWith(await ProduceAsync(producer, topic, "after"));
        await GroupTestCluster.UntilAsync(() => Consumed([a, b]).IsSupersetOf(produced), "every record produced before and after the restarts has been consumed", a, b);

        Assert.Equal(generation, (await GroupOf(group).DescribeAsync()).Generation);
        Assert.True(held.A.SetEquals(a.Assignment) && held.B.SetEquals(b.Assignment), $"a holds [{string.Join(',', a.Assignment)}], b [{string.Join(',', b.Assignment)}]");
        Assert.Equal(changes, (a.Revoked.Count, a.Lost.Count, b.Revoked.Count, b.Lost.Count));
    }

    private static async Task<HashSet<(int Partition, long Offset)>> ProduceAsync(IProducer<string, string> producer, string topic, string phase)
    {
        var sends = new List<Task<DeliveryResult<string, string>>>(Records);
        for (var i = 0; i < Records; i++)
        {
            sends.Add(producer.ProduceAsync(topic, new Message<string, string> { Key = $"{phase}-{i}", Value = "v" }, TestContext.Current.CancellationToken));
        }

        var delivered = new HashSet<(int, long)>();
        foreach (var send in sends)
        {
            var result = await send;
            delivered.Add((result.Partition, result.Offset.Value));
        }

        return delivered;
    }

    private static HashSet<(int Partition, long Offset)> Consumed(IEnumerable<ConsumerLoop> members) =>
        [.. members.SelectMany(m => m.Consumed).Select(r => (r.Partition, r.Offset.Value))];

    private async Task<bool> AllInSyncAsync(string topic)
    {
        var controller = Cluster.Client.GetGrain<IControllerGrain>(IControllerGrain.Key);
        for (var partition = 0; partition < Partitions; partition++)
        {
            if (await controller.LeadershipAsync(new TopicPartition(topic, partition)) is not { Isr.Length: 2 })
            {
                return false;
            }
        }

        return true;
    }

    private IConsumerGroupGrain GroupOf(string group) => Cluster.Client.GetGrain<IConsumerGroupGrain>(group);
}
