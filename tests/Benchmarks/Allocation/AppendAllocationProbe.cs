using System.Diagnostics;
using System.Globalization;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Log;
using Orlog.Log.Files;
using Orlog.Log.Flush;
using Orlog.Log.Index;
using Orlog.Records;

namespace Orlog.Benchmarks.Allocation;

/// <summary>
/// Bytes allocated (and nanoseconds spent) per steady-state append, measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> and a <see cref="Stopwatch"/> around whole
/// appends and around each step an append takes, to name the step that allocates or costs.
/// </summary>
internal sealed class AppendAllocationProbe(TextWriter output)
{
    public const int Warmup = 2_000;
    public const int Appends = 10_000;
    public static readonly TimeSpan MinimumWarmup = TimeSpan.FromMilliseconds(500);

    public void Run()
    {
        output.WriteLine($"Bytes allocated and ns per call on the calling thread, mean over {Appends:N0} calls after {Warmup:N0} warm-up calls.");
        output.WriteLine();
        output.WriteLine("| What | 1 KiB: B/call | 1 KiB: ns/call | 64 KiB: B/call | 64 KiB: ns/call |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        Row("PartitionLog.Append, flush.policy=os", size => AppendPerCall(size, FlushMode.Os));
        Row("PartitionLog.Append, flush.policy=every-batch", size => AppendPerCall(size, FlushMode.EveryBatch, appends: 2_000));
        Row("PartitionLog.Append, flush.policy=interval (append only, all threads)", size => AppendPerCall(size, FlushMode.Interval, allThreads: true));
        Row("  RecordBatchValidator.Validate", size =>
        {
            var batch = SampleBatches.Build(size, SampleBatches.RecordsFor(size));
            return PerCall(_ => RecordBatchValidator.Validate(batch, LogConfig.DefaultMaxMessageBytes));
        });
        Row("  Crc32C.Compute over the batch (part of Validate)", size =>
        {
            var batch = SampleBatches.Build(size, SampleBatches.RecordsFor(size));
            return PerCall(_ => Crc32C.Compute(batch));
        });
        Row("  TimeProvider.System.GetUtcNow", _ => PerCall(_ => TimeProvider.System.GetUtcNow()));
        Row("  SegmentFile.Write (via FileHandleCache)", SegmentFileWritePerCall);
        Row("  OffsetIndex.Append (one entry per call)", _ =>
        {
            var index = new OffsetIndex(0);
            return PerCall(i => index.Append(i + 1, (int)(i + 1) * 8));
        });
        Row("  TimeIndex.MaybeAppend (one entry per call)", _ =>
        {
            var timeIndex = new TimeIndex(0);
            return PerCall(i => timeIndex.MaybeAppend(i + 1, i + 1));
        });
        Row("  DurabilityTracker.Advance (what OsFlushPolicy.OnAppended calls)", _ =>
        {
            var tracker = new DurabilityTracker(0);
            return PerCall(i => tracker.Advance(i + 1));
        });
    }

    /// <summary>
    /// Measures a row after running its 1 KiB probe, unmeasured, for at least <see cref="MinimumWarmup"/>: long enough for
    /// tiered compilation to replace the first, unoptimized code, which <see cref="Warmup"/> calls alone are not.
    /// </summary>
    private void Row(string what, Func<int, (double Bytes, double Nanoseconds)> perCall)
    {
        var warming = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warming) < MinimumWarmup)
        {
            perCall(1024);
        }

        var small = perCall(1024);
        var large = perCall(64 * 1024);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {what} | {small.Bytes:N1} | {small.Nanoseconds:N0} | {large.Bytes:N1} | {large.Nanoseconds:N0} |"));
    }

    private static (double Bytes, double Nanoseconds) AppendPerCall(int batchBytes, FlushMode mode, int appends = Appends, bool allThreads = false)
    {
        var directory = BenchDirectory.Fresh("alloc");
        var log = PartitionLog.Open(directory, new LogConfig { FlushMode = mode, FlushMs = 5 });
        try
        {
            var batch = SampleBatches.Build(batchBytes, SampleBatches.RecordsFor(batchBytes));
            return PerCall(_ => log.Append(batch), appends, allThreads);
        }
        finally
        {
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            BenchDirectory.Delete(directory);
        }
    }

    private static (double Bytes, double Nanoseconds) SegmentFileWritePerCall(int chunkBytes)
    {
        var directory = BenchDirectory.Fresh("alloc");
        try
        {
            var chunk = new byte[chunkBytes];
            using var file = new FileHandleCache().Open(Path.Combine(directory, "probe.log"));
            return PerCall(i => file.Write(i * chunkBytes, chunk));
        }
        finally
        {
            BenchDirectory.Delete(directory);
        }
    }

    /// <summary>Runs <paramref name="call"/> warm-up times, then measures the mean bytes it allocates and the mean time it takes.</summary>
    private static (double Bytes, double Nanoseconds) PerCall(Action<long> call, int count = Appends, bool allThreads = false)
    {
        long i = 0;
        for (; i < Warmup; i++)
        {
            call(i);
        }

        var before = allThreads ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var end = i + count; i < end; i++)
        {
            call(i);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = allThreads ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
        return ((after - before) / (double)count, elapsed.TotalNanoseconds / count);
    }
}
