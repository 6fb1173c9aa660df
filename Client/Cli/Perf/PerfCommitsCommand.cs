using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Orlog.Client;

namespace Orlog.Cli.Perf;

/// <summary>
/// <c>orlog perf commits TOPIC --commits N --committers C</c>: C consumers of one new group (outside
/// group management) each commit one partition's offset over and over, every commit awaited until
/// durable; reports commits per second and commit latency.
/// </summary>
internal static class PerfCommitsCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic whose partitions get offsets." };
        var commits = new Option<long>("--commits") { Description = "How many commits in all.", DefaultValueFactory = _ => 100_000 };
        var committers = new Option<int>("--committers") { Description = "How many commit loops run at once (each awaits its commit before the next).", DefaultValueFactory = _ => 64 };
        var command = new Command("commits", "Measure a group's durable offset commits per second.") { topic, commits, committers };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var name = parse.GetValue(topic)!;
            var total = parse.GetValue(commits);
            var loops = parse.GetValue(committers);
            if (total < 1 || loops < 1)
            {
                throw new ArgumentException("--commits and --committers must be at least 1.");
            }

            var partitions = await CommonOptions.PartitionCountAsync(parse, name);
            var config = CommonOptions.Connect(parse, new ConsumerConfig
            {
                GroupId = $"perf-commits-{Guid.NewGuid():N}",
                EnableAutoCommit = false,
            });
            await using var client = new OrlogClient(config);
            await client.ConnectAsync();
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).SetClient(client).Build();
            var latency = new LatencyRecorder(total);
            long issued = 0;
            var started = Stopwatch.GetTimestamp();
            var workers = Enumerable.Range(0, loops).Select(loop => Task.Run(async () =>
            {
                var partition = new TopicPartition(name, loop % partitions);
                while (Interlocked.Increment(ref issued) <= total)
                {
                    var sent = Stopwatch.GetTimestamp();
                    await consumer.CommitAsync([new TopicPartitionOffset(partition, sent)]);
                    latency.Record(Stopwatch.GetTimestamp() - sent);
                }
            })).ToArray();
            await Task.WhenAll(workers);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var summary = latency.Summarize();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{latency.Count} commits by {loops} committers, {latency.Count / seconds:F1} commits/sec, {summary.Average:F2} ms avg latency, {summary.Max:F2} ms max latency, {summary.P50:F2} ms 50th, {summary.P99:F2} ms 99th."));
            return 0;
        }));
        return command;
    }
}
