using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Orlog.Client;

namespace Orlog.Cli.Perf;

/// <summary><c>orlog perf consume TOPIC --records N</c>, as kafka-consumer-perf-test.</summary>
internal static class PerfConsumeCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic to read from its beginning." };
        var records = new Option<long>("--records") { Description = "How many records to read.", Required = true };
        var timeoutMs = new Option<int>("--timeout-ms") { Description = "Give up when no record arrives for this long.", DefaultValueFactory = _ => 10_000 };
        var command = new Command("consume", "Read records from the beginning as fast as possible and report throughput.") { topic, records, timeoutMs };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var name = parse.GetValue(topic)!;
            var partitions = await CommonOptions.PartitionCountAsync(parse, name);
            var config = CommonOptions.Connect(parse, new ConsumerConfig());
            using var consumer = new ConsumerBuilder<Ignore, int>(config).SetValueDeserializer(new ValueLength()).Build();
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(name, p, Offset.Beginning)));
            var wanted = parse.GetValue(records);
            var timeout = TimeSpan.FromMilliseconds(parse.GetValue(timeoutMs));
            long count = 0, bytes = 0;
            var startedAt = DateTimeOffset.Now;
            var started = Stopwatch.GetTimestamp();
            while (count < wanted && consumer.Consume(timeout) is { } result)
            {
                count++;
                bytes += result.Message.Value;
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var megabytes = bytes / (1024.0 * 1024.0);
            Console.WriteLine("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec");
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{startedAt:yyyy-MM-dd HH:mm:ss:fff}, {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss:fff}, {megabytes:F4}, {megabytes / seconds:F4}, {count}, {count / seconds:F4}"));
            return count >= wanted ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Counts a value's bytes without copying them.</summary>
    private sealed class ValueLength : IDeserializer<int>
    {
        public int Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? 0 : data.Length;
    }
}
