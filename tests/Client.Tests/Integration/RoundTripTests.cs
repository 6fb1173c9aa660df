using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Xunit;

namespace Orlog.Client.Integration;

/// <summary>
/// Producer, consumer and admin client against a real (in-process) broker, over both connection
/// paths: an Orleans client outside the silo, and the silo's own grain factory (co-hosted).
/// </summary>
[Collection(ClientClusterTests.Name)]
public sealed class RoundTripTests(ClientClusterFixture fixture)
{
    private const int Records = 2_000;

    public static TheoryData<string> Paths => ["external client", "co-hosted in the silo"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task KeyedRecords_RoundTrip_InOrderPerKey(string path)
    {
        var grains = GrainFactory(path);
        var topic = $"rt-{Guid.NewGuid():N}"[..16];
        await using (var admin = new AdminClientBuilder(new AdminClientConfig()).SetGrainFactory(grains).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 3 }], TestContext.Current.CancellationToken);
            Assert.Contains(topic, await admin.ListTopicsAsync(TestContext.Current.CancellationToken));
        }

        var deliveries = new List<DeliveryResult<string, string>>();
        await using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 1 }).SetGrainFactory(grains).Build())
        {
            var sends = Enumerable.Range(0, Records)
                .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"key{i % 10}", Value = $"{i}" }, TestContext.Current.CancellationToken))
                .ToList();
            deliveries.AddRange(await Task.WhenAll(sends));
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetGrainFactory(grains).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var consumed = new List<ConsumeResult<string, string>>();
        while (consumed.Count < Records && consumer.Consume(TimeSpan.FromSeconds(10)) is { } result)
        {
            consumed.Add(result);
        }

        Assert.Equal(Records, consumed.Count);
        foreach (var partition in consumed.GroupBy(r => r.Partition))
        {
            var offsets = partition.Select(r => r.Offset.Value).ToList();
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(o => (long)o), offsets);
        }

        Assert.All(deliveries, delivery => Assert.Equal(Murmur2.Partition(System.Text.Encoding.UTF8.GetBytes(delivery.Message.Key), 3), delivery.Partition));
        foreach (var key in consumed.GroupBy(r => r.Message.Key))
        {
            var values = key.Select(r => int.Parse(r.Message.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(values.Order(), values);
            Assert.Single(key.Select(r => r.Partition).Distinct());
        }

        var delivered = deliveries.ToDictionary(d => (d.Partition, d.Offset.Value), d => d.Message.Value);
        Assert.All(consumed, record => Assert.Equal(delivered[(record.Partition, record.Offset.Value)], record.Message.Value));
    }

    private IGrainFactory GrainFactory(string path) => path == "external client"
        ? fixture.Cluster.Client
        : fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();
}
