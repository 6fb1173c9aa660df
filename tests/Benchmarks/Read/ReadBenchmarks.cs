using System.Buffers;
using BenchmarkDotNet.Attributes;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Log;

namespace Orlog.Benchmarks.Read;

/// <summary>
/// Sequential <c>PartitionLog.Read</c> of 1 MiB at a time over a 1 GiB log that is in the
/// page cache (written just before and read once to warm). One operation = one 1 MiB read.
/// </summary>
/// <remarks>
/// The log holds exactly 16,384 batches of 64 KiB, so every read returns exactly 16 whole batches
/// (1 MiB) and the next read starts at the offset after them.
/// </remarks>
public class ReadBenchmarks
{
    public const int ReadBytes = 1024 * 1024;
    public const int ReadsPerInvocation = 1024;
    public const int BatchBytes = 64 * 1024;

    private string _directory = string.Empty;
    private readonly ArrayBufferWriter<byte> _buffer = new(ReadBytes);
    private PartitionLog? _log;

    [GlobalSetup]
    public void FillLog()
    {
        _directory = BenchDirectory.Fresh("read");
        _log = PartitionLog.Open(_directory, new LogConfig());
        var batch = SampleBatches.Build(BatchBytes, SampleBatches.RecordsFor(BatchBytes));
        for (var i = 0; i < (long)ReadBytes * ReadsPerInvocation / BatchBytes; i++)
        {
            _log.Append(batch);
        }

        ReadAll();
    }

    [GlobalCleanup]
    public void DeleteLog()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        BenchDirectory.Delete(_directory);
    }

    [Benchmark(OperationsPerInvoke = ReadsPerInvocation)]
    [BytesPerOperation(ReadBytes)]
    public long ReadSequential() => ReadAll();

    [Benchmark(OperationsPerInvoke = ReadsPerInvocation)]
    [BytesPerOperation(ReadBytes)]
    public long ReadSequentialIntoBuffer() => ReadAll(_buffer);

    /// <summary>Reads the whole log front to back, into new arrays or into one reused buffer; returns the bytes read.</summary>
    private long ReadAll(ArrayBufferWriter<byte>? buffer = null)
    {
        var log = _log!;
        long offset = log.LogStartOffset, total = 0;
        var end = log.LogEndOffset;
        while (offset < end)
        {
            ReadOnlySpan<byte> records;
            if (buffer is null)
            {
                records = log.Read(offset, ReadBytes).Records.Span;
            }
            else
            {
                buffer.ResetWrittenCount();
                log.Read(offset, ReadBytes, buffer);
                records = buffer.WrittenSpan;
            }

            total += records.Length;
            offset = SampleBatches.NextOffsetAfter(records);
        }

        if (total != (long)ReadBytes * ReadsPerInvocation)
        {
            throw new InvalidOperationException($"Read {total} bytes of a {log.Size}-byte log.");
        }

        return total;
    }
}
