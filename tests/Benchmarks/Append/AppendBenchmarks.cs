using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Log;

namespace Orlog.Benchmarks.Append;

/// <summary>
/// <see cref="PartitionLog.Append"/> of pre-built batches under each flush policy, beside a plain
/// positional write loop of the same bytes to the same disk with the same fsync discipline, so
/// the two land in one table. One operation = one batch.
/// </summary>
/// <remarks>
/// Each iteration starts from an empty log (or file) and deletes it afterwards, so the disk
/// never holds more than one iteration's data. Appenders per policy:
/// <list type="bullet">
/// <item><c>Os</c> and <c>EveryBatch</c>: one appender in a loop (under <c>EveryBatch</c> each append returns after its fsync).</item>
/// <item><c>Interval</c> (flush.ms=5): <see cref="Appenders"/> concurrent appenders, each appending a batch and then awaiting
/// <see cref="Log.Flush.DurabilityTracker.WaitAsync"/> of its last offset before the next (16 producers with one request in flight).</item>
/// </list>
/// The raw loop writes with <see cref="RandomAccess.Write(SafeFileHandle, ReadOnlySpan{byte}, long)"/> and, per mode,
/// never fsyncs (<c>Os</c>), fsyncs inline whenever 5 ms have passed since the last (<c>Interval</c>), or fsyncs after every write (<c>EveryBatch</c>).
/// </remarks>
public class AppendBenchmarks
{
    public const int BatchesPerInvocation = 4096;
    public const int Appenders = 16;
    public const int FlushMs = 5;

    private byte[][] _batches = [];
    private string _directory = string.Empty;
    private PartitionLog? _log;
    private SafeFileHandle? _file;

    [Params(1024, 64 * 1024)]
    public int BatchBytes { get; set; }

    [Params(FlushMode.Os, FlushMode.Interval, FlushMode.EveryBatch)]
    public FlushMode Mode { get; set; }

    [GlobalSetup]
    public void BuildBatches()
    {
        // One buffer per appender: Append stamps offsets into the buffer it is given.
        _batches = new byte[Appenders][];
        _batches[0] = SampleBatches.Build(BatchBytes, SampleBatches.RecordsFor(BatchBytes));
        for (var i = 1; i < Appenders; i++)
        {
            _batches[i] = (byte[])_batches[0].Clone();
        }
    }

    [IterationSetup(Target = nameof(Append))]
    public void OpenLog()
    {
        _directory = BenchDirectory.Fresh("append");
        _log = BenchLogs.OpenStarted(_directory, new LogConfig { FlushMode = Mode, FlushMs = FlushMs }, _batches[0]);
    }

    [IterationCleanup(Target = nameof(Append))]
    public void DeleteLog()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        BenchDirectory.Delete(_directory);
    }

    [Benchmark(OperationsPerInvoke = BatchesPerInvocation)]
    public async Task Append()
    {
        var log = _log!;
        if (Mode != FlushMode.Interval)
        {
            var batch = _batches[0];
            for (var i = 0; i < BatchesPerInvocation; i++)
            {
                log.Append(batch);
            }

            return;
        }

        var appenders = new Task[Appenders];
        for (var a = 0; a < Appenders; a++)
        {
            var batch = _batches[a];
            appenders[a] = Task.Run(async () =>
            {
                for (var i = 0; i < BatchesPerInvocation / Appenders; i++)
                {
                    var appended = log.Append(batch);
                    await log.Durability.WaitAsync(appended.LastOffset).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(appenders).ConfigureAwait(false);
    }

    [IterationSetup(Target = nameof(RawWrite))]
    public void OpenFile()
    {
        _directory = BenchDirectory.Fresh("raw");
        _file = File.OpenHandle(Path.Combine(_directory, "raw.bin"), FileMode.CreateNew, FileAccess.ReadWrite);
    }

    [IterationCleanup(Target = nameof(RawWrite))]
    public void DeleteFile()
    {
        _file?.Dispose();
        _file = null;
        BenchDirectory.Delete(_directory);
    }

    [Benchmark(OperationsPerInvoke = BatchesPerInvocation)]
    public void RawWrite()
    {
        var file = _file!;
        var chunk = _batches[0];
        var interval = TimeSpan.FromMilliseconds(FlushMs);
        var lastSync = Stopwatch.GetTimestamp();
        long position = 0;
        for (var i = 0; i < BatchesPerInvocation; i++)
        {
            RandomAccess.Write(file, chunk, position);
            position += chunk.Length;
            if (Mode == FlushMode.EveryBatch)
            {
                RandomAccess.FlushToDisk(file);
            }
            else if (Mode == FlushMode.Interval && Stopwatch.GetElapsedTime(lastSync) >= interval)
            {
                RandomAccess.FlushToDisk(file);
                lastSync = Stopwatch.GetTimestamp();
            }
        }

        if (Mode == FlushMode.Interval)
        {
            // Like the appenders, the loop ends with everything durable.
            RandomAccess.FlushToDisk(file);
        }
    }
}
