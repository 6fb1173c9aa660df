using System.Diagnostics;
using System.Globalization;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Log;

namespace Orlog.Benchmarks.Append;

/// <summary>
/// Append throughput as a fraction of raw writes, measured in pairs: a round of
/// <see cref="PartitionLog.Append"/> (flush.policy=os) and a round of plain positional writes of
/// the same bytes, back to back, many times. Each pair gives one ratio; the median of the ratios
/// is the figure. On a shared VM the page cache's write speed drifts by tens of percent within
/// a minute, so a ratio of two means measured a minute apart (BenchmarkDotNet runs one method's
/// iterations, then the other's) says more about the drift than about the engine.
/// </summary>
/// <remarks>
/// Each round writes <see cref="RoundBytes"/> to a new file and only the writes are timed. After
/// the clock stops both rounds fsync and delete their file (the log does when it is disposed),
/// so every round starts from the same page-cache state. The order within a pair alternates.
/// </remarks>
internal sealed class PairedAppendRatio(TextWriter output)
{
    public const long RoundBytes = 256L << 20;
    public const int Pairs = 31;

    public void Run()
    {
        output.WriteLine($"Append (flush.policy=os) against raw writes of the same bytes, {Pairs} pairs of {RoundBytes >> 20} MiB rounds.");
        output.WriteLine();
        output.WriteLine("| Batch | Append MB/s (median) | Raw MB/s (median) | Append / raw: median | lowest | highest |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var batchBytes in new[] { 64 * 1024, 1024 })
        {
            Measure(SampleBatches.Build(batchBytes, SampleBatches.RecordsFor(batchBytes)));
        }
    }

    private void Measure(byte[] batch)
    {
        var writes = (int)(RoundBytes / batch.Length);
        var append = new double[Pairs];
        var raw = new double[Pairs];
        var ratios = new double[Pairs];
        AppendRound(batch, writes);
        RawRound(batch, writes);
        for (var pair = 0; pair < Pairs; pair++)
        {
            if (pair % 2 == 0)
            {
                append[pair] = AppendRound(batch, writes);
                raw[pair] = RawRound(batch, writes);
            }
            else
            {
                raw[pair] = RawRound(batch, writes);
                append[pair] = AppendRound(batch, writes);
            }

            ratios[pair] = append[pair] / raw[pair];
        }

        Array.Sort(ratios);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {batch.Length / 1024} KiB | {Median(append):N0} | {Median(raw):N0} | **{ratios[Pairs / 2]:P0}** | {ratios[0]:P0} | {ratios[^1]:P0} |"));
    }

    /// <summary>MB/s (10^6 B/s) of one round of appends to a fresh log.</summary>
    private static double AppendRound(byte[] batch, int appends)
    {
        var directory = BenchDirectory.Fresh("paired-append");
        var log = BenchLogs.OpenStarted(directory, new LogConfig { FlushMode = FlushMode.Os }, batch);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < appends; i++)
        {
            log.Append(batch);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        BenchDirectory.Delete(directory);
        return MegabytesPerSecond(batch.Length, appends, elapsed);
    }

    /// <summary>MB/s of one round of <see cref="RandomAccess.Write(Microsoft.Win32.SafeHandles.SafeFileHandle, ReadOnlySpan{byte}, long)"/> at increasing positions.</summary>
    private static double RawRound(byte[] batch, int writes)
    {
        var directory = BenchDirectory.Fresh("paired-raw");
        TimeSpan elapsed;
        using (var file = File.OpenHandle(Path.Combine(directory, "raw.bin"), FileMode.CreateNew, FileAccess.ReadWrite))
        {
            var started = Stopwatch.GetTimestamp();
            long position = 0;
            for (var i = 0; i < writes; i++)
            {
                RandomAccess.Write(file, batch, position);
                position += batch.Length;
            }

            elapsed = Stopwatch.GetElapsedTime(started);
            RandomAccess.FlushToDisk(file);
        }

        BenchDirectory.Delete(directory);
        return MegabytesPerSecond(batch.Length, writes, elapsed);
    }

    private static double MegabytesPerSecond(int batchBytes, int count, TimeSpan elapsed) =>
        (double)batchBytes * count / elapsed.TotalSeconds / 1e6;

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
