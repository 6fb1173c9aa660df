using BenchmarkDotNet.Attributes;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Log;

namespace Orlog.Benchmarks.Append;

/// <summary>
/// Group commit (flush.policy=interval, flush.ms=5) under a pipelining producer: one appender
/// that never stops to wait while less than <see cref="InFlightBytes"/> are un-acked. It takes
/// an ack (<see cref="Log.Flush.DurabilityTracker.WaitAsync"/>) on every
/// <see cref="AckEvery"/>th batch and awaits the oldest ack only when the window is full, like a
/// Kafka producer with acks on durability and a bounded buffer. One operation = one batch.
/// </summary>
/// <remarks>
/// Complements the closed-loop <see cref="AppendBenchmarks"/> Interval case, whose throughput is
/// bound by its 16 appenders × one batch per flush rather than by the engine.
/// </remarks>
public class GroupCommitBenchmarks
{
    public const int BatchesPerInvocation = 8192;
    public const int AckEvery = 16;
    public const int InFlightBytes = 16 * 1024 * 1024;

    private byte[] _batch = [];
    private string _directory = string.Empty;
    private PartitionLog? _log;

    [Params(1024, 64 * 1024)]
    public int BatchBytes { get; set; }

    [GlobalSetup]
    public void BuildBatch() => _batch = SampleBatches.Build(BatchBytes, SampleBatches.RecordsFor(BatchBytes));

    [IterationSetup]
    public void OpenLog()
    {
        _directory = BenchDirectory.Fresh("group-commit");
        _log = BenchLogs.OpenStarted(_directory, new LogConfig { FlushMode = FlushMode.Interval, FlushMs = AppendBenchmarks.FlushMs }, _batch);
    }

    [IterationCleanup]
    public void DeleteLog()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        BenchDirectory.Delete(_directory);
    }

    [Benchmark(OperationsPerInvoke = BatchesPerInvocation)]
    public async Task AppendPipelined()
    {
        var log = _log!;
        var maxPendingAcks = Math.Max(1, InFlightBytes / (BatchBytes * AckEvery));
        var acks = new Queue<Task>(maxPendingAcks + 1);
        long last = -1;
        for (var i = 1; i <= BatchesPerInvocation; i++)
        {
            last = log.Append(_batch).LastOffset;
            if (i % AckEvery == 0)
            {
                acks.Enqueue(log.Durability.WaitAsync(last).AsTask());
                if (acks.Count > maxPendingAcks)
                {
                    await acks.Dequeue().ConfigureAwait(false);
                }
            }
        }

        await log.Durability.WaitAsync(last).ConfigureAwait(false);
        await Task.WhenAll(acks).ConfigureAwait(false);
    }
}
