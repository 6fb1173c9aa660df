using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Orlog.Cli.Commands;
using Orlog.Client;
using Orlog.Records;
using Spectre.Console;

namespace Orlog.Cli.Perf;

/// <summary><c>orlog perf produce TOPIC --records N --record-size B</c>, as kafka-producer-perf-test.</summary>
internal static class PerfProduceCommand
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic to write to (it must exist)." };
        var records = new Option<long>("--records") { Description = "How many records to send.", Required = true };
        var recordSize = new Option<int>("--record-size") { Description = "Bytes per record value.", Required = true };
        var throughput = new Option<long>("--throughput") { Description = "Most records per second; -1 for no limit.", DefaultValueFactory = _ => -1 };
        var batchSize = new Option<int?>("--batch-size") { Description = "Producer batch.size in bytes." };
        var lingerMs = new Option<int?>("--linger-ms") { Description = "Producer linger.ms." };
        var keys = new Option<int>("--keys") { Description = "Give records one of this many keys (round robin), spreading them over partitions by key hash; 0 for null keys.", DefaultValueFactory = _ => 0 };
        var compression = new Option<CompressionType>("--compression-type") { Description = "none, gzip, snappy, lz4 or zstd.", DefaultValueFactory = _ => CompressionType.None };
        var command = new Command("produce", "Send records as fast as allowed and report throughput and latency.")
        {
            topic, records, recordSize, throughput, ProduceCommand.AcksOption, batchSize, lingerMs, compression, keys,
        };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var config = CommonOptions.Connect(parse, new ProducerConfig
            {
                Acks = ProduceCommand.ParseAcks(parse.GetValue(ProduceCommand.AcksOption)!),
                CompressionType = parse.GetValue(compression),
            });
            if (parse.GetValue(batchSize) is { } size)
            {
                config.BatchSize = size;
            }

            if (parse.GetValue(lingerMs) is { } linger)
            {
                config.LingerMs = linger;
            }

            var run = new Run(parse.GetValue(topic)!, parse.GetValue(records), parse.GetValue(recordSize), parse.GetValue(throughput), parse.GetValue(keys));
            await run.ExecuteAsync(config);
            return run.Failures == 0 ? 0 : 1;
        }));
        return command;
    }

    private sealed class Run(string topic, long records, int recordSize, long throughput, int keyCount)
    {
        private readonly LatencyRecorder _latency = new(records);
        private long _failures;
        private string? _firstFailure;

        public long Failures => Interlocked.Read(ref _failures);

        public async Task ExecuteAsync(ProducerConfig config)
        {
            if (records <= 0 || recordSize < 0)
            {
                throw new ArgumentException("--records must be positive and --record-size not negative.");
            }

            var value = new byte[recordSize];
            Random.Shared.NextBytes(value);
            await using var producer = new ProducerBuilder<byte[]?, byte[]>(config).Build();
            var started = Stopwatch.GetTimestamp();
            if (Console.IsOutputRedirected)
            {
                await SendAllAsync(producer, value, started, progress: null);
            }
            else
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context => await SendAllAsync(producer, value, started, context.AddTask($"Producing {records:N0} records", maxValue: records)));
            }

            await producer.FlushAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            FinalLine(elapsed);
            if (_firstFailure is not null)
            {
                Console.Error.WriteLine($"Error: {Failures} record(s) failed: {_firstFailure}");
            }
        }

        /// <summary>Sends every record, pacing to --throughput, with a Kafka-style line every few seconds.</summary>
        private async Task SendAllAsync(IProducer<byte[]?, byte[]> producer, byte[] value, long started, ProgressTask? progress)
        {
            var lastReport = (Time: started, Count: 0L);
            var keys = Enumerable.Range(0, keyCount).Select(k => System.Text.Encoding.UTF8.GetBytes(k.ToString(CultureInfo.InvariantCulture))).ToArray();
            for (long sent = 0; sent < records; sent++)
            {
                var sendTime = Stopwatch.GetTimestamp();
                var key = keyCount > 0 ? keys[sent % keyCount] : null;
                producer.Produce(topic, new Message<byte[]?, byte[]> { Key = key, Value = value }, report => OnDelivery(report, sendTime));
                if (throughput > 0)
                {
                    await ThrottleAsync(started, sent + 1);
                }

                if (Stopwatch.GetElapsedTime(lastReport.Time) >= ReportEvery)
                {
                    var count = _latency.Count;
                    WindowLine(count - lastReport.Count, Stopwatch.GetElapsedTime(lastReport.Time));
                    lastReport = (Stopwatch.GetTimestamp(), count);
                }

                if ((sent & 0x3FFF) == 0)
                {
                    progress?.Value(sent);
                }
            }

            progress?.Value(records);
        }

        private void OnDelivery(DeliveryReport<byte[]?, byte[]> report, long sendTime)
        {
            if (report.Error is { } error)
            {
                if (Interlocked.Increment(ref _failures) == 1)
                {
                    _firstFailure = error.Message;
                }

                return;
            }

            _latency.Record(Stopwatch.GetTimestamp() - sendTime);
        }

        private async Task ThrottleAsync(long started, long sent)
        {
            var due = TimeSpan.FromSeconds((double)sent / throughput);
            var ahead = due - Stopwatch.GetElapsedTime(started);
            if (ahead > TimeSpan.FromMilliseconds(1))
            {
                // Pacing the load, not waiting for a condition: the tool sends at the asked rate.
                await Task.Delay(ahead);
            }
        }

        private void WindowLine(long count, TimeSpan window)
        {
            var summary = _latency.Summarize();
            var rate = count / window.TotalSeconds;
            AnsiConsole.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{count} records sent, {rate:F1} records/sec ({rate * recordSize / (1024 * 1024):F2} MB/sec), {summary.Average:F1} ms avg latency, {summary.Max:F1} ms max latency."));
        }

        private void FinalLine(TimeSpan elapsed)
        {
            var summary = _latency.Summarize();
            var count = _latency.Count;
            var rate = count / elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{count} records sent, {rate:F1} records/sec ({rate * recordSize / (1024 * 1024):F2} MB/sec), {summary.Average:F2} ms avg latency, {summary.Max:F2} ms max latency, {summary.P50:F2} ms 50th, {summary.P95:F2} ms 95th, {summary.P99:F2} ms 99th, {summary.P999:F2} ms 99.9th."));
        }
    }
}
