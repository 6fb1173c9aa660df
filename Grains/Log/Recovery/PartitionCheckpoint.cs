using System.Buffers.Binary;
using Orlog.Records;

namespace Orlog.Log.Recovery;

/// <summary>
/// The small per-partition file <c>checkpoint</c> that tells recovery where to start:
/// <code>
///  0 magic          uint32 'OCP1'
///  4 flags          int32  bit 0: the log was closed cleanly
///  8 recoveryPoint  int64  every offset below it was fsynced
/// 16 logStartOffset int64  offsets below it are deleted (DeleteRecords / retention)
/// 24 crc            uint32 CRC-32C of bytes [0, 24)
/// </code>
/// Written atomically; a file whose checksum fails is treated as absent (full recovery).
/// </summary>
public readonly record struct PartitionCheckpoint(bool CleanShutdown, long RecoveryPoint, long LogStartOffset)
{
    public const string FileName = "checkpoint";
    private const uint Magic = 0x4F435031; // "OCP1"
    private const int Size = 28;

    public static bool TryRead(string directory, out PartitionCheckpoint checkpoint)
    {
        checkpoint = default;
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != Size
            || BinaryPrimitives.ReadUInt32BigEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(24)) != Crc32C.Compute(bytes.AsSpan(0, 24)))
        {
            return false;
        }

        checkpoint = new PartitionCheckpoint(
            (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)) & 1) != 0,
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)),
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(16)));
        return true;
    }

    public void Write(string directory)
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes[4..], CleanShutdown ? 1 : 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], RecoveryPoint);
        BinaryPrimitives.WriteInt64BigEndian(bytes[16..], LogStartOffset);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[24..], Crc32C.Compute(bytes[..24]));
        AtomicFile.Write(Path.Combine(directory, FileName), bytes);
    }
}
