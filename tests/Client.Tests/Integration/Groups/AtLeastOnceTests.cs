using Xunit;

namespace Orlog.Client.Integration.Groups;

/// <summary>
/// A checker: a producer writes while consumers of one group come, leave cleanly and die. Every
/// acknowledged record must be consumed, in order per partition, with duplicates only where a
/// member died, and only from the last offset it had committed.
/// </summary>
[Collection(ClientClusterTests.Name)]
public sealed class AtLeastOnceTests(ClientClusterFixture fixture)
{
    private const int Phase = 4_000;

    [Fact]
    public async Task EveryRecordIsConsumed_AndDuplicatesComeOnlyFromTheDeadMemberSinceItsLastCommit()
    {
        var topic = await GroupTestCluster.CreateTopicAsync(fixture, 6);
        var group = $"g-{Guid.NewGuid():N}";
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 2 }).SetGrainFactory(fixture.Cluster.Client).Build();
        var produced = new List<(int Partition, long Offset)>();

        var a = GroupTestCluster.Start(fixture, "a", group, topic, out _);
        var b = GroupTestCluster.Start(fixture, "b", group, topic, out var bConnection);
        using var members = new GroupTestCluster.Disposer(a, b);
        produced.AddRange(await ProduceAsync(producer, topic, Phase));

        var c = GroupTestCluster.Start(fixture, "c", group, topic, out _);
        using var third = new GroupTestCluster.Disposer(c);
        produced.AddRange(await ProduceAsync(producer, topic, Phase));

        a.Dispose();
        produced.AddRange(await ProduceAsync(producer, topic, Phase));
        await GroupTestCluster.UntilAsync(() => GroupTestCluster.Balanced([b, c], 3), "b and c hold three partitions each", b, c);

        var heldByB = b.Assignment;
        bConnection.Kill();
        b.Abandon();
        var committedAtDeath = (await GroupTestCluster.Group(fixture, group).FetchOffsetsAsync(null)).ToDictionary(o => o.Partition.Partition, o => o.Offset);
        produced.AddRange(await ProduceAsync(producer, topic, Phase));

        var all = new HashSet<(int, long)>(produced);
        await GroupTestCluster.UntilAsync(() => Seen([a, b, c]).IsSupersetOf(all), "every produced record has been consumed", a, b, c);

        // In order per partition within each member: each record follows the previous one, or starts over lower after a reassignment.
        foreach (var member in new[] { a, b, c })
        {
            foreach (var partition in member.Consumed.GroupBy(r => r.Partition))
            {
                long previous = -1;
                foreach (var record in partition)
                {
                    var offset = record.Offset.Value;
                    Assert.True(previous < 0 || offset == previous + 1 || offset <= previous, $"{member.Name} skipped from {previous} to {offset} on partition {partition.Key}.");
                    previous = offset;
                }
            }
        }

        var duplicates = new[] { a, b, c }.SelectMany(m => m.Consumed).GroupBy(r => (r.Partition, r.Offset.Value)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var (partition, offset) in duplicates)
        {
            Assert.Contains(new TopicPartition(topic, partition), heldByB);
            Assert.True(offset >= committedAtDeath.GetValueOrDefault(partition, 0), $"Offset {offset} of partition {partition} was read twice though it was below b's last commit ({committedAtDeath.GetValueOrDefault(partition, 0)}).");
        }
    }

    private static HashSet<(int, long)> Seen(IEnumerable<ConsumerLoop> members) =>
        [.. members.SelectMany(m => m.Consumed).Select(r => (r.Partition, r.Offset.Value))];

    private static async Task<List<(int Partition, long Offset)>> ProduceAsync(IProducer<string, string> producer, string topic, int count)
    {
        var sends = new Task<DeliveryResult<string, string>>[count];
        for (var i = 0; i < count; i++)
        {
            sends[i] = producer.ProduceAsync(topic, new Message<string, string> { Key = null!, Value = $"{i}" }, TestContext.Current.CancellationToken);
        }

        return [.. (await Task.WhenAll(sends)).Select(d => (d.Partition, d.Offset.Value))];
    }
}
