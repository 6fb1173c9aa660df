using System.Buffers.Binary;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

/// <summary>
/// Reads the header fields of one record batch without decoding its records.
/// </summary>
/// <remarks>
/// Borrows the span it is given: it copies nothing and is valid only while the caller's
/// buffer is. The span must hold at least <see cref="RecordBatchLayout.HeaderSize"/> bytes;
/// <see cref="RecordBatchValidator"/> checks that a span is a whole, well-formed batch.
/// </remarks>
public readonly ref struct RecordBatchHeader
{
    private readonly ReadOnlySpan<byte> _bytes;

    public RecordBatchHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new ArgumentException($"A record batch header needs {HeaderSize} bytes; got {bytes.Length}.", nameof(bytes));
        }

        _bytes = bytes;
    }

    public long BaseOffset => BinaryPrimitives.ReadInt64BigEndian(_bytes[BaseOffsetOffset..]);

    /// <summary>Bytes after the batchLength field; the batch occupies <see cref="SizeInBytes"/> bytes.</summary>
    public int BatchLength => BinaryPrimitives.ReadInt32BigEndian(_bytes[BatchLengthOffset..]);

    public int SizeInBytes => LogOverhead + BatchLength;

    public int PartitionLeaderEpoch => BinaryPrimitives.ReadInt32BigEndian(_bytes[PartitionLeaderEpochOffset..]);

    public byte Magic => _bytes[MagicOffset];

    public uint Crc => BinaryPrimitives.ReadUInt32BigEndian(_bytes[CrcOffset..]);

    public short Attributes => BinaryPrimitives.ReadInt16BigEndian(_bytes[AttributesOffset..]);

    public CompressionType Compression => (CompressionType)(Attributes & CompressionCodecMask);

    public TimestampType TimestampType => (Attributes & TimestampTypeMask) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

    public bool IsTransactional => (Attributes & TransactionalFlagMask) != 0;

    public bool IsControl => (Attributes & ControlFlagMask) != 0;

    public int LastOffsetDelta => BinaryPrimitives.ReadInt32BigEndian(_bytes[LastOffsetDeltaOffset..]);

    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>The offset right after this batch.</summary>
    public long NextOffset => LastOffset + 1;

    public long BaseTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[BaseTimestampOffset..]);

    public long MaxTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[MaxTimestampOffset..]);

    public long ProducerId => BinaryPrimitives.ReadInt64BigEndian(_bytes[ProducerIdOffset..]);

    public short ProducerEpoch => BinaryPrimitives.ReadInt16BigEndian(_bytes[ProducerEpochOffset..]);

    public int BaseSequence => BinaryPrimitives.ReadInt32BigEndian(_bytes[BaseSequenceOffset..]);

    public int RecordsCount => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordsCountOffset..]);
}
