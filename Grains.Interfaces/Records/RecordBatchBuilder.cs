using System.Buffers;
using System.Buffers.Binary;
using Orlog.Records.Compression;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

/// <summary>
/// Writes one v2 record batch: <see cref="Append(in ProducerRecord)"/> the records, then
/// <see cref="Build(IBufferWriter{byte})"/>, then <see cref="Reset"/> to start the next batch.
/// </summary>
/// <remarks>
/// Records are encoded into an internal buffer as they are appended, so appending copies the
/// caller's bytes and allocates nothing once the buffer has grown to the batch size; the buffers
/// are kept across <see cref="Reset"/>. Not thread-safe: one builder per producer loop.
/// The batch settings (compression, producer id, …) also survive <see cref="Reset"/>.
/// </remarks>
public sealed class RecordBatchBuilder
{
    private readonly ArrayBufferWriter<byte> _records = new();
    private readonly ArrayBufferWriter<byte> _compressed = new();
    private long _baseTimestamp;
    private long _maxTimestamp;

    public CompressionType Compression { get; set; } = CompressionType.None;

    public TimestampType TimestampType { get; set; } = TimestampType.CreateTime;

    /// <summary>Offset of the first record; the broker overwrites it on append.</summary>
    public long BaseOffset { get; set; }

    public int PartitionLeaderEpoch { get; set; } = NoPartitionLeaderEpoch;

    public long ProducerId { get; set; } = NoProducerId;

    public short ProducerEpoch { get; set; } = NoProducerEpoch;

    public int BaseSequence { get; set; } = NoSequence;

    public bool IsTransactional { get; set; }

    /// <summary>Records appended since the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Size of the batch if built uncompressed now; an upper bound for a producer's batch.size check.</summary>
    public int UncompressedSizeInBytes => HeaderSize + _records.WrittenCount;

    public void Append(long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, IReadOnlyList<RecordHeader>? headers = null) =>
        Append(new ProducerRecord(timestamp, key, value, headers));

    /// <summary>Encodes the record into the batch; its offset delta is the number of records before it.</summary>
    public void Append(in ProducerRecord record)
    {
        if (Count == 0)
        {
            _baseTimestamp = record.Timestamp;
            _maxTimestamp = record.Timestamp;
        }
        else if (record.Timestamp > _maxTimestamp)
        {
            _maxTimestamp = record.Timestamp;
        }

        var offsetDelta = Count;
        var timestampDelta = record.Timestamp - _baseTimestamp;
        var bodySize = RecordFormat.SizeOfBody(record, offsetDelta, timestampDelta);
        var size = Varint.SizeOfVarint(bodySize) + bodySize;
        var written = RecordFormat.Write(_records.GetSpan(size), record, offsetDelta, timestampDelta, bodySize);
        _records.Advance(written);
        Count++;
    }

    /// <summary>Writes the complete batch, CRC included, to <paramref name="destination"/>.</summary>
    /// <returns>The size of the batch in bytes.</returns>
    /// <exception cref="InvalidOperationException">No record was appended: a batch holds at least one.</exception>
    public int Build(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Count == 0)
        {
            throw new InvalidOperationException("A record batch needs at least one record; append one before building.");
        }

        var section = _records.WrittenSpan;
        if (Compression != CompressionType.None)
        {
            _compressed.ResetWrittenCount();
            RecordsCodecs.For(Compression).Compress(section, _compressed);
            section = _compressed.WrittenSpan;
        }

        var size = HeaderSize + section.Length;
        var batch = destination.GetSpan(size)[..size];
        WriteHeader(batch);
        section.CopyTo(batch[RecordsOffset..]);
        RecordBatch.WriteCrc(batch);
        destination.Advance(size);
        return size;
    }

    /// <summary>Builds the batch into a new array.</summary>
    public byte[] Build()
    {
        var output = new ArrayBufferWriter<byte>(UncompressedSizeInBytes);
        Build(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Forgets the appended records, keeping the batch settings and the grown buffers.</summary>
    public void Reset()
    {
        _records.ResetWrittenCount();
        _compressed.ResetWrittenCount();
        Count = 0;
    }

    private void WriteHeader(Span<byte> batch)
    {
        var attributes = (short)Compression;
        if (TimestampType == TimestampType.LogAppendTime)
        {
            attributes |= TimestampTypeMask;
        }

        if (IsTransactional)
        {
            attributes |= TransactionalFlagMask;
        }

        BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffsetOffset..], BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[BatchLengthOffset..], batch.Length - LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        batch[MagicOffset] = CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(batch[LastOffsetDeltaOffset..], Count - 1);
        BinaryPrimitives.WriteInt64BigEndian(batch[BaseTimestampOffset..], _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], _maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordsCountOffset..], Count);
    }
}
