using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Streams;
using Orlog.Groups;
using Orlog.Log;
using Orlog.Streams;
using Orlog.Testing;
using Orlog.Tiering;
using Xunit;

namespace Orlog.Client.Integration.Streams;

/// <summary>
/// Orleans streams over Orlog topics on an in-process broker silo: records produced by the client
/// library and events published in Orleans reach implicit and explicit subscribers in order, delivery is
/// checkpointed as the provider's consumer-group offsets, and a subscriber rewinds into records that
/// only the remote tier still holds.
/// </summary>
[Collection(StreamClusterTests.Name)]
public sealed class OrlogStreamsTests(StreamClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RecordsProducedByTheClientLibrary_AndEventsPublishedInOrleans_ReachTheImplicitSubscriberInOrder_AndAreCheckpointed()
    {
        var key = Unique("meter");
        await using var producer = Producer();
        var produced = new List<DeliveryResult<string, string>>();
        for (var i = 0; i < 30; i++)
        {
            produced.Add(await producer.ProduceAsync(StreamClusterFixture.Topic, Json(key, $"p{i}"), TestContext.Current.CancellationToken));
        }

        var stream = Stream(key);
        for (var i = 0; i < 10; i++)
        {
            await stream.OnNextAsync(new Reading($"o{i}"));
        }

        await UntilAsync(() => ReadingRecorderGrain.Log.Of(key).Count >= 40, ReadingRecorderGrain.Log, "the implicit subscriber has all 40 events");
        var received = ReadingRecorderGrain.Log.Of(key);
        Assert.Equal([.. Enumerable.Range(0, 30).Select(i => $"p{i}"), .. Enumerable.Range(0, 10).Select(i => $"o{i}")], received.Select(r => r.Text));
        Assert.Equal(produced.Select(p => p.Offset.Value), received.Take(30).Select(r => r.Offset));
        Assert.True(received.Zip(received.Skip(1)).All(pair => pair.First.Offset < pair.Second.Offset), "offsets do not increase");

        // The provider's consumer group commits the partition's delivery up to its end.
        var partition = new TopicPartition(StreamClusterFixture.Topic, produced[0].Partition);
        var end = received[^1].Offset + 1;
        var group = fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(StreamClusterFixture.Provider);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var until = DateTime.UtcNow + Deadline;
        while ((await group.FetchOffsetsAsync([partition])) is not [{ Offset: var committed }] || committed < end)
        {
            Assert.True(DateTime.UtcNow < until && await pace.WaitForNextTickAsync(TestContext.Current.CancellationToken), $"The checkpoint of {partition} did not reach {end}.");
        }
    }

    [Fact]
    public async Task ExplicitSubscriber_ReceivesEveryEvent_InOrder()
    {
        var key = Unique("explicit");
        var log = new ReceivedLog();
        var handle = await Stream(key).SubscribeAsync((item, token) => Record(log, item, token));
        await using var producer = Producer();
        for (var i = 0; i < 20; i++)
        {
            await producer.ProduceAsync(StreamClusterFixture.Topic, Json(key, $"e{i}"), TestContext.Current.CancellationToken);
        }

        await UntilAsync(() => log.Of("").Count >= 20, log, "the explicit subscriber has all 20 events");
        await handle.UnsubscribeAsync();

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"e{i}"), log.Of("").Select(r => r.Text));
    }

    [Fact]
    public async Task Subscriber_RewindsToAnOffsetAndToATimestamp_ThatOnlyTheRemoteTierHolds()
    {
        var key = Unique("history");
        // Later than every record already in the partition, so that the records' timestamps increase with their offsets.
        var start = DateTimeOffset.UtcNow.AddMinutes(1);
        await using var producer = Producer();
        var offsets = new List<long>();
        for (var i = 0; i < 60; i++)
        {
            // One batch per record, so they fill several 4 KiB segments.
            var message = Json(key, $"h{i}" + new string('x', 100));
            message.Timestamp = new Timestamp(start.AddSeconds(i));
            offsets.Add((await producer.ProduceAsync(StreamClusterFixture.Topic, message, TestContext.Current.CancellationToken)).Offset.Value);
        }

        await UntilAsync(() => ReadingRecorderGrain.Log.Of(key).Count >= 60, ReadingRecorderGrain.Log, "the implicit subscriber has all 60 events");
        var partition = new TopicPartition(StreamClusterFixture.Topic, (await producer.ProduceAsync(StreamClusterFixture.Topic, Json(key, "h60"), TestContext.Current.CancellationToken)).Partition);
        var logStart = await TierAndTrimAsync(partition);
        Assert.True(logStart > offsets[30], $"The local log still starts at {logStart}; the rewind would not reach the remote tier.");

        var fromOffset = await ReplayAsync(key, OrlogStreamPositions.AtOffset(offsets[5]), 56);
        var fromTime = await ReplayAsync(key, await OrlogStreamPositions.AtTimestampAsync(fixture.Cluster.Client, StreamId.Create(StreamClusterFixture.Topic, key), start.AddSeconds(20)), 41);

        Assert.Equal([.. Enumerable.Range(5, 55).Select(i => $"h{i}"), "h60"], fromOffset.Select(r => r.Text.TrimEnd('x')));
        Assert.Equal(offsets[5], fromOffset[0].Offset);
        Assert.Equal(offsets[20], fromTime[0].Offset);
        Assert.Equal(41, fromTime.Count);
    }

    /// <summary>Subscribes from <paramref name="token"/> until <paramref name="count"/> events came; returns them.</summary>
    private async Task<IReadOnlyList<Received>> ReplayAsync(string key, StreamSequenceToken token, int count)
    {
        var log = new ReceivedLog();
        var handle = await Stream(key).SubscribeAsync((item, t) => Record(log, item, t), token);
        await UntilAsync(() => log.Of("").Count >= count, log, $"the rewound subscriber has {count} events");
        await handle.UnsubscribeAsync();
        return log.Of("");
    }

    /// <summary>Copies the partition's closed segments to the remote tier and drops them locally; returns the new local log start.</summary>
    private async Task<long> TierAndTrimAsync(TopicPartition partition)
    {
        var services = fixture.Cluster.GetSiloServiceProvider();
        Assert.True(services.GetRequiredService<LogManager>().TryGet(partition, out var log));
        await services.GetRequiredService<RemoteTier>().RunAsync(partition, log, TestContext.Current.CancellationToken);
        log.ApplyRetention();
        return log.LogStartOffset;
    }

    private static Task Record(ReceivedLog log, Reading item, StreamSequenceToken? token)
    {
        log.Add("", new Received(token!.SequenceNumber, item.Text));
        return Task.CompletedTask;
    }

    private IAsyncStream<Reading> Stream(string key) =>
        fixture.Cluster.Client.GetStreamProvider(StreamClusterFixture.Provider).GetStream<Reading>(StreamId.Create(StreamClusterFixture.Topic, key));

    private IProducer<string, string> Producer() =>
        new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 0 }).SetGrainFactory(fixture.Cluster.Client).Build();

    private static Message<string, string> Json(string key, string text) => new() { Key = key, Value = JsonSerializer.Serialize(new { text }) };

    private static async Task UntilAsync(Func<bool> condition, ReceivedLog log, string what) =>
        Assert.True(await ChangeSignal.WaitUntilAsync(condition, Deadline, log.Changed), $"Timed out waiting until {what}.");

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];
}
