using System.Buffers.Binary;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

/// <summary>Operations on the bytes of a record batch that the broker performs in place.</summary>
public static class RecordBatch
{
    /// <summary>CRC-32C over the bytes the v2 checksum covers: attributes to the end of the batch.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesOffset..]);

    public static bool IsCrcValid(ReadOnlySpan<byte> batch) =>
        ComputeCrc(batch) == BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]);

    /// <summary>Sets the base offset; the CRC does not cover it, so it stays valid.</summary>
    public static void StampBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffsetOffset..], baseOffset);

    /// <summary>Sets the partition leader epoch; the CRC does not cover it, so it stays valid.</summary>
    public static void StampPartitionLeaderEpoch(Span<byte> batch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], epoch);

    /// <summary>
    /// Marks the batch as log-append-time and sets its max timestamp to <paramref name="appendTime"/>,
    /// then recomputes the CRC, since both fields are covered by it.
    /// </summary>
    public static void StampLogAppendTime(Span<byte> batch, long appendTime)
    {
        var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], (short)(attributes | TimestampTypeMask));
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], appendTime);
        WriteCrc(batch);
    }

    /// <summary>Computes the CRC of the batch and writes it into the header.</summary>
    public static void WriteCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));
}
