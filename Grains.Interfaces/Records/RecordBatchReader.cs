using Orlog.Errors;
using Orlog.Records.Compression;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

/// <summary>
/// Decodes the records of one v2 batch, decompressing its records section first when the batch
/// is compressed; <c>foreach (var record in reader)</c> walks them without allocating per record.
/// </summary>
/// <remarks>
/// Borrows <c>batch</c> for its lifetime. A compressed batch is decompressed into an array rented
/// from the shared pool, which the reader owns until <see cref="Dispose"/>; every
/// <see cref="Record"/> it yields points into the batch or that array, so use them before
/// disposing the reader. It does not check the CRC: <see cref="RecordBatchValidator"/> does that.
/// </remarks>
public ref struct RecordBatchReader : IDisposable
{
    private readonly ReadOnlySpan<byte> _batch;
    private readonly ReadOnlySpan<byte> _records;
    private PooledBufferWriter? _decompressed;

    /// <param name="batch">A span starting with a batch; bytes after the batch are ignored.</param>
    /// <param name="maxDecompressedBytes">Refuse a compressed records section that inflates to more than this.</param>
    /// <exception cref="OrlogException">CORRUPT_MESSAGE for a malformed batch, UNSUPPORTED_COMPRESSION_TYPE for an unknown codec.</exception>
    public RecordBatchReader(ReadOnlySpan<byte> batch, int maxDecompressedBytes = RecordsCodecs.DefaultMaxDecompressedBytes)
    {
        if (batch.Length < HeaderSize)
        {
            throw Corrupt($"{batch.Length} bytes are too few for a record batch header ({HeaderSize} bytes)");
        }

        var header = new RecordBatchHeader(batch);
        if (header.Magic != CurrentMagic)
        {
            throw Corrupt($"the batch has magic {header.Magic}; only record batch v2 (magic 2) can be read");
        }

        if (header.BatchLength < HeaderSize - LogOverhead || header.BatchLength > batch.Length - LogOverhead)
        {
            throw Corrupt($"the batch declares a length of {header.BatchLength} bytes but {batch.Length - LogOverhead} follow");
        }

        if (header.RecordsCount < 0)
        {
            throw Corrupt($"the batch declares {header.RecordsCount} records");
        }

        _batch = batch[..header.SizeInBytes];
        var section = _batch[RecordsOffset..];
        if (header.Compression == CompressionType.None)
        {
            _records = section;
            return;
        }

        var codec = RecordsCodecs.For(header.Compression);
        var decompressed = new PooledBufferWriter((int)Math.Min(maxDecompressedBytes, section.Length * 4L));
        try
        {
            codec.Decompress(section, decompressed, maxDecompressedBytes);
        }
        catch
        {
            decompressed.Dispose();
            throw;
        }

        _decompressed = decompressed;
        _records = decompressed.WrittenSpan;
    }

    public readonly RecordBatchHeader Header => new(_batch);

    /// <summary>The records section, decompressed.</summary>
    public readonly ReadOnlySpan<byte> Records => _records;

    public readonly RecordEnumerator GetEnumerator()
    {
        var header = Header;
        var context = new RecordContext(
            header.BaseOffset,
            header.BaseTimestamp,
            header.MaxTimestamp,
            header.TimestampType == TimestampType.LogAppendTime);
        return new RecordEnumerator(_records, header.RecordsCount, context);
    }

    public void Dispose()
    {
        _decompressed?.Dispose();
        _decompressed = null;
    }

    private static OrlogException Corrupt(string what) =>
        new(ErrorCode.CorruptMessage, $"Malformed record batch: {what}.");
}
