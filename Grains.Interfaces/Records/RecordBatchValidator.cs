using Orlog.Errors;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

/// <summary>
/// Checks that a buffer is a sequence of whole, well-formed v2 record batches before any of
/// it is stored, so that a bad request is refused whole and changes nothing.
/// </summary>
public static class RecordBatchValidator
{
    /// <summary>
    /// Validates every batch in <paramref name="batches"/> (one or more, back to back) as the
    /// broker does before an append: framing, magic, CRC, codec, record count, and size.
    /// </summary>
    /// <exception cref="OrlogException">CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, INVALID_RECORD or UNSUPPORTED_COMPRESSION_TYPE.</exception>
    public static RecordBatchSetSummary Validate(ReadOnlySpan<byte> batches, int maxBatchBytes)
    {
        if (batches.IsEmpty)
        {
            throw new OrlogException(ErrorCode.InvalidRecord, "The request holds no record batch.");
        }

        var summary = new RecordBatchSetSummary { MaxTimestamp = -1 };
        var position = 0;
        while (position < batches.Length)
        {
            var remaining = batches[position..];
            var size = FramedSize(remaining, position);
            if (size > maxBatchBytes)
            {
                throw new OrlogException(
                    ErrorCode.MessageTooLarge,
                    $"The record batch at byte {position} is {size} bytes, more than the {maxBatchBytes} bytes max.message.bytes allows; send smaller batches or raise max.message.bytes.");
            }

            var batch = remaining[..size];
            var header = new RecordBatchHeader(batch);
            ValidateHeader(header, position);
            if (!RecordBatch.IsCrcValid(batch))
            {
                throw new OrlogException(
                    ErrorCode.CorruptMessage,
                    $"The record batch at byte {position} fails its CRC-32C check (stored {header.Crc:x8}, computed {RecordBatch.ComputeCrc(batch):x8}); it was damaged in transit. Resend it.");
            }

            summary.BatchCount++;
            summary.RecordCount += header.LastOffsetDelta + 1L;
            if (header.MaxTimestamp > summary.MaxTimestamp)
            {
                summary.MaxTimestamp = header.MaxTimestamp;
            }

            position += size;
        }

        summary.SizeInBytes = batches.Length;
        return summary;
    }

    /// <summary>
    /// The size of the batch at the start of <paramref name="remaining"/>, checking that its
    /// framing is sane and that it lies wholly inside the buffer.
    /// </summary>
    private static int FramedSize(ReadOnlySpan<byte> remaining, int position)
    {
        if (remaining.Length < HeaderSize)
        {
            throw new OrlogException(
                ErrorCode.CorruptMessage,
                $"{remaining.Length} bytes at byte {position} are too few for a record batch header ({HeaderSize} bytes).");
        }

        var batchLength = new RecordBatchHeader(remaining).BatchLength;
        if (batchLength < HeaderSize - LogOverhead || batchLength > remaining.Length - LogOverhead)
        {
            throw new OrlogException(
                ErrorCode.CorruptMessage,
                $"The record batch at byte {position} declares a length of {batchLength} bytes, but {remaining.Length - LogOverhead} bytes follow and at least {HeaderSize - LogOverhead} are needed.");
        }

        return batchLength + LogOverhead;
    }

    private static void ValidateHeader(RecordBatchHeader header, int position)
    {
        if (header.Magic != CurrentMagic)
        {
            throw new OrlogException(
                ErrorCode.CorruptMessage,
                $"The record batch at byte {position} has magic {header.Magic}; only record batch v2 (magic 2) is accepted.");
        }

        if ((int)header.Compression > (int)CompressionType.Zstd)
        {
            throw new OrlogException(
                ErrorCode.UnsupportedCompressionType,
                $"The record batch at byte {position} names compression codec {(int)header.Compression}; known codecs are none, gzip, snappy, lz4 and zstd.");
        }

        if (header.RecordsCount <= 0 || header.LastOffsetDelta != header.RecordsCount - 1)
        {
            throw new OrlogException(
                ErrorCode.InvalidRecord,
                $"The record batch at byte {position} holds {header.RecordsCount} records but a last offset delta of {header.LastOffsetDelta}; a produced batch needs at least one record and contiguous offset deltas.");
        }
    }
}
