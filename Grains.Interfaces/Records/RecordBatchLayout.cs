namespace Orlog.Records;

/// <summary>
/// Byte positions of Apache Kafka's RecordBatch v2 (magic 2), all integers big-endian:
/// <code>
///  0  baseOffset           int64   offset of the first record; stamped by the broker
///  8  batchLength          int32   bytes that follow this field (whole batch = 12 + batchLength)
/// 12  partitionLeaderEpoch int32   stamped by the broker
/// 16  magic                int8    2
/// 17  crc                  uint32  CRC-32C of bytes [21, end): attributes to the last record
/// 21  attributes           int16   bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control
/// 23  lastOffsetDelta      int32   offset of the last record minus baseOffset
/// 27  baseTimestamp        int64   timestamp of the first record
/// 35  maxTimestamp         int64   largest timestamp in the batch
/// 43  producerId           int64   -1 when not idempotent
/// 51  producerEpoch        int16   -1 when not idempotent
/// 53  baseSequence         int32   -1 when not idempotent
/// 57  recordsCount         int32
/// 61  records              (compressed as a whole when the codec is not none)
/// </code>
/// Each record: length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
/// keyLength varint (-1 = null), key, valueLength varint (-1 = null), value, headerCount varint,
/// then per header keyLength varint, key (UTF-8), valueLength varint (-1 = null), value.
/// Varints are zig-zag encoded base-128, as in Protocol Buffers.
/// </summary>
/// <remarks>
/// The CRC leaves out baseOffset, batchLength, partitionLeaderEpoch and magic, so the broker
/// can stamp offsets and epochs in place without recomputing it.
/// </remarks>
public static class RecordBatchLayout
{
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordsCountOffset = 57;
    public const int RecordsOffset = 61;

    /// <summary>Size of the header before the records section.</summary>
    public const int HeaderSize = RecordsOffset;

    /// <summary>baseOffset and batchLength: the part of the header not counted by batchLength.</summary>
    public const int LogOverhead = 12;

    public const byte CurrentMagic = 2;

    public const short CompressionCodecMask = 0x07;
    public const short TimestampTypeMask = 0x08;
    public const short TransactionalFlagMask = 0x10;
    public const short ControlFlagMask = 0x20;

    public const long NoProducerId = -1;
    public const short NoProducerEpoch = -1;
    public const int NoSequence = -1;
    public const int NoPartitionLeaderEpoch = -1;
}
