using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Orlog.Cli.Commands;
using Orlog.Client;

namespace Orlog.Cli.Perf;

/// <summary>
/// <c>orlog perf latency TOPIC</c>: produce-to-consume latency at a fixed rate, as Kafka's
/// EndToEndLatency tool. Producer and consumer run in this process; each value carries its send
/// time, so the latency is measured on one clock.
/// </summary>
internal static class PerfLatencyCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic (it must exist)." };
        var records = new Option<long>("--records") { Description = "How many records to send.", DefaultValueFactory = _ => 100_000 };
        var throughput = new Option<long>("--throughput") { Description = "Records per second.", DefaultValueFactory = _ => 10_000 };
        var recordSize = new Option<int>("--record-size") { Description = "Bytes per record value (at least 16).", DefaultValueFactory = _ => 100 };
        var warmup = new Option<long>("--warmup-records") { Description = "Records sent first and left out of the figures (connections, JIT, first fetches).", DefaultValueFactory = _ => 5_000 };
        var command = new Command("latency", "Measure produce-to-consume latency at a steady rate.") { topic, records, throughput, recordSize, warmup, ProduceCommand.AcksOption };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var name = parse.GetValue(topic)!;
            var count = parse.GetValue(records);
            var rate = parse.GetValue(throughput);
            var size = Math.Max(16, parse.GetValue(recordSize));
            var warmupRecords = Math.Max(0, parse.GetValue(warmup));
            var partitions = await CommonOptions.PartitionCountAsync(parse, name);
            var consumerConfig = CommonOptions.Connect(parse, new ConsumerConfig { FetchMaxWaitMs = 100 });
            using var consumer = new ConsumerBuilder<Ignore, (long Sequence, long SentAt)>(consumerConfig).SetValueDeserializer(new Stamp()).Build();
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(name, p, Offset.End)));
            var latency = new LatencyRecorder(count);
            using var stop = new CancellationTokenSource();
            var receiving = Task.Run(() => Receive(consumer, latency, warmupRecords, warmupRecords + count, stop.Token));
            var producerConfig = CommonOptions.Connect(parse, new ProducerConfig
            {
                Acks = ProduceCommand.ParseAcks(parse.GetValue(ProduceCommand.AcksOption)!),
                LingerMs = 0,
            });
            await using (var producer = new ProducerBuilder<Null, byte[]>(producerConfig).Build())
            {
                await Send(producer, name, warmupRecords + count, rate, size);
                await producer.FlushAsync();
            }

            if (await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(30))) != receiving)
            {
                await stop.CancelAsync();
            }

            await receiving;
            var summary = latency.Summarize();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{latency.Count} records received at {rate} records/sec, produce-to-consume latency: {summary.Average:F2} ms avg, {summary.Max:F2} ms max, {summary.P50:F2} ms 50th, {summary.P95:F2} ms 95th, {summary.P99:F2} ms 99th, {summary.P999:F2} ms 99.9th."));
            return latency.Count == count ? 0 : 1;
        }));
        return command;
    }

    private static async Task Send(IProducer<Null, byte[]> producer, string topic, long count, long rate, int size)
    {
        var started = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < count; sent++)
        {
            var value = new byte[size];
            BinaryPrimitives.WriteInt64BigEndian(value, sent);
            BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(8), Stopwatch.GetTimestamp());
            producer.Produce(topic, new Message<Null, byte[]> { Key = null!, Value = value });
            var ahead = TimeSpan.FromSeconds((double)(sent + 1) / rate) - Stopwatch.GetElapsedTime(started);
            if (ahead > TimeSpan.FromMilliseconds(1))
            {
                // Pacing the load at the asked rate.
                await Task.Delay(ahead);
            }
        }
    }

    /// <summary>Records the latency of every record after the warm-up until the last one arrives.</summary>
    private static void Receive(IConsumer<Ignore, (long Sequence, long SentAt)> consumer, LatencyRecorder latency, long warmup, long total, CancellationToken stop)
    {
        long received = 0;
        while (received < total && !stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                received++;
                if (result.Message.Value.Sequence >= warmup)
                {
                    latency.Record(Stopwatch.GetTimestamp() - result.Message.Value.SentAt);
                }
            }
        }
    }

    /// <summary>Reads the sequence number and send time written into the first sixteen bytes of the value.</summary>
    private sealed class Stamp : IDeserializer<(long Sequence, long SentAt)>
    {
        public (long Sequence, long SentAt) Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            (BinaryPrimitives.ReadInt64BigEndian(data), BinaryPrimitives.ReadInt64BigEndian(data[8..]));
    }
}
