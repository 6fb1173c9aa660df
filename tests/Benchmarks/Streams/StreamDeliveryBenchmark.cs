using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Orleans;
using Orleans.TestingHost;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Client;
using Orlog.Hosting;
using Orlog.Partitions;
using Orlog.Streams;

namespace Orlog.Benchmarks.Streams;

/// <summary>
/// Orleans streams over Orlog, end to end in one process: an in-process silo (TestingHost) that is the
/// broker and runs the stream provider's pulling agents and the subscriber grains, and an Orleans client
/// producing with the client library. Measures events per second delivered to grain subscribers
/// (<see cref="ThroughputEvents"/> events over <see cref="ThroughputStreams"/> streams, produced as fast as
/// the producer goes) and the latency from produce to <c>OnNextAsync</c> at a steady
/// <see cref="PacedRate"/> events/s.
/// </summary>
internal sealed class StreamDeliveryBenchmark(TextWriter output)
{
    public const string Topic = "stream-bench";
    private const string Provider = "bench";
    private const int Partitions = 4;
    private const int ValueBytes = 100;
    private const int ThroughputEvents = 1_000_000;
    private const int ThroughputStreams = 1_000;
    private const int PacedRate = 10_000;
    private const int PacedSeconds = 20;
    private const int PacedStreams = 100;
    private const int WarmupEvents = 5_000;
    private static readonly double[] s_percentiles = [50, 95, 99, 99.9];

    public async Task RunAsync()
    {
        var directory = BenchDirectory.Fresh("streams");
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddOrlogOnLocalDisk(Path.Combine(directory, options.SiloName));
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.AddOrlogStreams(Provider, streams =>
            {
                streams.Topics.Add(Topic);
                streams.PartitionsForNewTopics = Partitions;
                streams.ConfigsForNewTopics["flush.policy"] = "os";
                streams.Serializer = OrlogStreamSerializers.Raw;
            });
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            output.WriteLine($"One in-process silo (broker, {Partitions} partitions, flush.policy=os, pulling agents, subscriber grains) and an Orleans client producing {ValueBytes}-byte events with acks=1.");
            output.WriteLine();
            output.WriteLine("| run | events | streams | produced/s | delivered/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            await PacedAsync(cluster.Client, WarmupEvents, 1, "warm-up (not counted)");
            await ThroughputAsync(cluster.Client);
            await PacedAsync(cluster.Client, PacedRate * PacedSeconds, PacedSeconds, $"steady {PacedRate:N0} events/s");
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            BenchDirectory.Delete(directory);
        }
    }

    /// <summary>Produces <see cref="ThroughputEvents"/> as fast as the producer takes them; delivered/s counts until the last reached its grain.</summary>
    private async Task ThroughputAsync(IGrainFactory grains)
    {
        DeliveryProbe.Reset(ThroughputEvents);
        await using var producer = Producer(grains, lingerMs: 5);
        var keys = Keys(ThroughputStreams);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < ThroughputEvents; i++)
        {
            producer.Produce(Topic, Event(keys[i % keys.Length]));
        }

        await producer.FlushAsync();
        var produced = clock.Elapsed;
        await UntilDeliveredAsync(ThroughputEvents);
        Report("as fast as possible", ThroughputEvents, ThroughputStreams, produced, clock.Elapsed);
    }

    /// <summary>Produces <paramref name="events"/> evenly over <paramref name="seconds"/>, a tick every millisecond.</summary>
    private async Task PacedAsync(IGrainFactory grains, int events, int seconds, string run)
    {
        DeliveryProbe.Reset(events);
        await using var producer = Producer(grains, lingerMs: 0);
        var keys = Keys(PacedStreams);
        var perTick = Math.Max(1, events / (seconds * 1000));
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < events && await ticks.WaitForNextTickAsync())
        {
            var due = Math.Min(events, (int)(clock.Elapsed.TotalMilliseconds * perTick));
            for (; sent < due; sent++)
            {
                producer.Produce(Topic, Event(keys[sent % keys.Length]));
            }
        }

        await producer.FlushAsync();
        var produced = clock.Elapsed;
        await UntilDeliveredAsync(events);
        Report(run, events, PacedStreams, produced, clock.Elapsed);
    }

    private static IProducer<string, byte[]> Producer(IGrainFactory grains, int lingerMs) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig { Acks = Acks.Leader, LingerMs = lingerMs, BatchSize = 256 * 1024 }).SetGrainFactory(grains).Build();

    private static string[] Keys(int count) => [.. Enumerable.Range(0, count).Select(i => $"sensor-{i}")];

    /// <summary>An event whose value starts with the time it is produced.</summary>
    private static Message<string, byte[]> Event(string key)
    {
        var value = new byte[ValueBytes];
        BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
        return new Message<string, byte[]> { Key = key, Value = value };
    }

    private static async Task UntilDeliveredAsync(int events)
    {
        var deadline = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (DeliveryProbe.Count < events)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"Only {DeliveryProbe.Count:N0} of {events:N0} events were delivered in 5 minutes.");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    private void Report(string run, int events, int streams, TimeSpan produced, TimeSpan delivered)
    {
        var latencies = DeliveryProbe.Latencies();
        Array.Sort(latencies);
        var cells = s_percentiles.Select(p => Milliseconds(latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * p / 100))]));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {run} | {events:N0} | {streams:N0} | {events / produced.TotalSeconds:N0} | {events / delivered.TotalSeconds:N0} | {string.Join(" | ", cells)} | {Milliseconds(latencies[^1])} |"));
    }

    private static string Milliseconds(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.00", CultureInfo.InvariantCulture);
}
