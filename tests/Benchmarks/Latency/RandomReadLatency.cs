using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Log;

namespace Orlog.Benchmarks.Latency;

/// <summary>
/// Random-read latency against log size: fills a log (1 GiB segments, Os flush) with 16 KiB
/// batches to 1 GiB and measures <see cref="Samples"/> reads of <see cref="MaxBytes"/> at uniformly
/// random offsets, then fills on to 10 GiB and measures again. Before each measurement the whole
/// log is read once front to back, so the reads hit a warm page cache.
/// </summary>
/// <remarks>
/// 16 KiB batches (16 records of ~1 KiB) keep the 10 GiB fill to about half a minute while still
/// giving one sparse-index entry per batch (index.interval.bytes = 4096). Each sample is the
/// <see cref="Stopwatch"/> time of one <c>PartitionLog.Read</c> call; samples are sorted
/// for the percentiles.
/// </remarks>
internal sealed class RandomReadLatency(TextWriter output)
{
    public const int BatchBytes = 16 * 1024;
    public const int MaxBytes = 64 * 1024;
    public const int Samples = 100_000;
    public const int WarmupSamples = 10_000;
    public const long GiB = 1L << 30;

    private static readonly double[] s_percentiles = [50, 90, 99, 99.9];

    public void Run()
    {
        var directory = BenchDirectory.Fresh("latency");
        try
        {
            var batch = SampleBatches.Build(BatchBytes, SampleBatches.RecordsFor(BatchBytes));
            var log = PartitionLog.Open(directory, new LogConfig());
            try
            {
                output.WriteLine($"Random reads of maxBytes={MaxBytes} at uniform offsets, {Samples:N0} samples per size, {BatchBytes / 1024} KiB batches, 1 GiB segments, warm page cache.");
                output.WriteLine();
                output.WriteLine("| Log size | What | Segments | Fill MB/s | Warm read MB/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | alloc B/read | GCs | GC pause ms |");
                output.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                var random = new Random(20240611);
                foreach (var size in new[] { 1 * GiB, 10 * GiB })
                {
                    var fill = Fill(log, batch, size);
                    var warm = ReadAll(log);
                    Measure(log, random, WarmupSamples);
                    var gcs = GC.CollectionCount(0);
                    var pause = GC.GetTotalPauseDuration();
                    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    var samples = Measure(log, random, Samples);
                    var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / Samples;
                    Report(size, "PartitionLog.Read (new array)", log.SegmentCount, $"{fill:N0}", $"{warm:N0}", samples, allocated, GC.CollectionCount(0) - gcs, GC.GetTotalPauseDuration() - pause);

                    var buffer = new ArrayBufferWriter<byte>(2 * MaxBytes);
                    MeasureIntoBuffer(log, random, WarmupSamples, buffer);
                    gcs = GC.CollectionCount(0);
                    pause = GC.GetTotalPauseDuration();
                    allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    samples = MeasureIntoBuffer(log, random, Samples, buffer);
                    allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / Samples;
                    Report(size, "PartitionLog.Read (reused buffer)", log.SegmentCount, "", "", samples, allocated, GC.CollectionCount(0) - gcs, GC.GetTotalPauseDuration() - pause);

                    // The floor on this machine: the same number of 64 KiB preads at random positions of the same files, into one reused buffer.
                    gcs = GC.CollectionCount(0);
                    pause = GC.GetTotalPauseDuration();
                    samples = MeasureRawReads(directory, random, Samples);
                    Report(size, "raw pread (control)", log.SegmentCount, "", "", samples, 0, GC.CollectionCount(0) - gcs, GC.GetTotalPauseDuration() - pause);
                }
            }
            finally
            {
                log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            BenchDirectory.Delete(directory);
        }
    }

    private void Report(long size, string what, int segments, string fill, string warm, long[] samples, long allocated, int collections, TimeSpan pause)
    {
        Array.Sort(samples);
        var cells = string.Join(" | ", s_percentiles.Select(p => Micros(samples[Rank(p, samples.Length)])));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {size / GiB} GiB | {what} | {segments} | {fill} | {warm} | {cells} | {Micros(samples[^1])} | {allocated:N0} | {collections} | {pause.TotalMilliseconds:N1} |"));
    }

    /// <summary>Appends batches until the log holds <paramref name="size"/> bytes; returns MB/s.</summary>
    private static double Fill(PartitionLog log, byte[] batch, long size)
    {
        var start = Stopwatch.GetTimestamp();
        var written = 0L;
        while (log.Size + batch.Length <= size)
        {
            log.Append(batch);
            written += batch.Length;
        }

        return written / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    /// <summary>Reads the whole log once in 1 MiB reads (pulls it into the page cache); returns MB/s.</summary>
    private static double ReadAll(PartitionLog log)
    {
        var start = Stopwatch.GetTimestamp();
        long offset = log.LogStartOffset, total = 0;
        while (offset < log.LogEndOffset)
        {
            var records = log.Read(offset, 1024 * 1024).Records;
            total += records.Length;
            offset = SampleBatches.NextOffsetAfter(records.Span);
        }

        return total / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    private static long[] Measure(PartitionLog log, Random random, int count)
    {
        var samples = new long[count];
        long start = log.LogStartOffset, end = log.LogEndOffset;
        for (var i = 0; i < count; i++)
        {
            var offset = random.NextInt64(start, end);
            var began = Stopwatch.GetTimestamp();
            var records = log.Read(offset, MaxBytes).Records;
            samples[i] = Stopwatch.GetTimestamp() - began;
            if (records.IsEmpty)
            {
                throw new InvalidOperationException($"Reading offset {offset} returned nothing.");
            }
        }

        return samples;
    }

    private static long[] MeasureIntoBuffer(PartitionLog log, Random random, int count, ArrayBufferWriter<byte> buffer)
    {
        var samples = new long[count];
        long start = log.LogStartOffset, end = log.LogEndOffset;
        for (var i = 0; i < count; i++)
        {
            var offset = random.NextInt64(start, end);
            buffer.ResetWrittenCount();
            var began = Stopwatch.GetTimestamp();
            var written = log.Read(offset, MaxBytes, buffer);
            samples[i] = Stopwatch.GetTimestamp() - began;
            if (written == 0)
            {
                throw new InvalidOperationException($"Reading offset {offset} returned nothing.");
            }
        }

        return samples;
    }

    private static long[] MeasureRawReads(string directory, Random random, int count)
    {
        var files = Directory.GetFiles(directory, "*.log").Select(path => File.OpenHandle(path)).ToArray();
        try
        {
            var lengths = files.Select(RandomAccess.GetLength).ToArray();
            var buffer = new byte[MaxBytes];
            var samples = new long[count];
            for (var i = 0; i < count; i++)
            {
                var file = random.Next(files.Length);
                var position = random.NextInt64(Math.Max(1, lengths[file] - MaxBytes));
                var began = Stopwatch.GetTimestamp();
                RandomAccess.Read(files[file], buffer, position);
                samples[i] = Stopwatch.GetTimestamp() - began;
            }

            return samples;
        }
        finally
        {
            foreach (var file in files)
            {
                file.Dispose();
            }
        }
    }

    private static int Rank(double percentile, int count) => Math.Clamp((int)Math.Ceiling(percentile / 100 * count) - 1, 0, count - 1);

    private static string Micros(long ticks) => (ticks * 1e6 / Stopwatch.Frequency).ToString("N1", CultureInfo.InvariantCulture);
}
