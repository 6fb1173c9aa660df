using System.Buffers.Binary;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

/// <summary>Builds batches for tests and edits their bytes the way a corrupting network or a hostile client would.</summary>
internal static class BatchBytes
{
    public static byte[] Build(CompressionType compression, params ProducerRecord[] records)
    {
        var builder = new RecordBatchBuilder { Compression = compression };
        foreach (var record in records)
        {
            builder.Append(record);
        }

        return builder.Build();
    }

    public static byte[] OneRecord(long timestamp = 1000) =>
        Build(CompressionType.None, new ProducerRecord(timestamp, "k"u8.ToArray(), "v"u8.ToArray()));

    /// <summary>A batch with <paramref name="section"/> as its records section and the header fields made to fit.</summary>
    public static byte[] WithRecordsSection(byte[] batch, ReadOnlySpan<byte> section, CompressionType compression)
    {
        var edited = new byte[HeaderSize + section.Length];
        batch.AsSpan(0, HeaderSize).CopyTo(edited);
        section.CopyTo(edited.AsSpan(HeaderSize));
        BinaryPrimitives.WriteInt32BigEndian(edited.AsSpan(BatchLengthOffset), edited.Length - LogOverhead);
        var attributes = BinaryPrimitives.ReadInt16BigEndian(edited.AsSpan(AttributesOffset));
        BinaryPrimitives.WriteInt16BigEndian(edited.AsSpan(AttributesOffset), (short)((attributes & ~CompressionCodecMask) | (int)compression));
        RecordBatch.WriteCrc(edited);
        return edited;
    }

    public static byte[] WithInt32(byte[] batch, int offset, int value, bool fixCrc = true)
    {
        var edited = (byte[])batch.Clone();
        BinaryPrimitives.WriteInt32BigEndian(edited.AsSpan(offset), value);
        if (fixCrc)
        {
            RecordBatch.WriteCrc(edited);
        }

        return edited;
    }

    /// <summary>Decodes every record, so that a malformed one throws.</summary>
    public static int ReadAll(ReadOnlySpan<byte> batch, int maxDecompressedBytes = Compression.RecordsCodecs.DefaultMaxDecompressedBytes)
    {
        using var reader = new RecordBatchReader(batch, maxDecompressedBytes);
        var count = 0;
        foreach (var record in reader)
        {
            count++;
        }

        return count;
    }
}
