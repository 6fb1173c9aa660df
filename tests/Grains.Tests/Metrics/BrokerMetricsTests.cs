using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Log;
using Orlog.Partitions;
using Orlog.Topics;
using Xunit;

namespace Orlog.Metrics;

[Collection(BrokerClusterTests.Name)]
public sealed class BrokerMetricsTests(BrokerClusterFixture fixture)
{
    [Fact]
    public async Task ProduceAndFetch_AreCountedPerTopic_AndLogSizeIsObservable()
    {
        var topic = $"metrics-{Guid.NewGuid():N}"[..18];
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BrokerMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, 1, tags));
        listener.Start();

        await fixture.Cluster.Client.GetGrain<ITopicGrain>(topic).CreateAsync(new TopicSpec(topic, 1));
        var partition = fixture.Cluster.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(topic, 0));
        var batch = TestBatches.Build(5, 20, 1000);
        await partition.ProduceAsync(new Immutable<byte[]>(batch.ToArray()), Acks.Leader);
        await partition.FetchAsync(0, 1 << 20, 1, TimeSpan.Zero);
        listener.RecordObservableInstruments();

        Assert.Equal(5, totals.GetValueOrDefault("orlog.records.in"));
        Assert.Equal(batch.Length, totals.GetValueOrDefault("orlog.bytes.in"));
        Assert.Equal(batch.Length, totals.GetValueOrDefault("orlog.bytes.out"));
        Assert.Equal(1, totals.GetValueOrDefault("orlog.produce.duration"));
        Assert.Equal(1, totals.GetValueOrDefault("orlog.fetch.duration"));
        Assert.Equal(batch.Length, totals.GetValueOrDefault("orlog.log.size"));

        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "topic", Value: string name } && name == topic)
                {
                    totals.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                }
            }
        }
    }
}
