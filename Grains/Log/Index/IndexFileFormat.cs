using System.Buffers.Binary;
using Orlog.Records;

namespace Orlog.Log.Index;

/// <summary>
/// On-disk layout of the sparse index files (<c>.index</c>, <c>.timeindex</c>), written once
/// when a segment closes and trusted only if its checksum holds:
/// <code>
/// 0  magic        uint32  'OIX1' (offset index) or 'TIX1' (time index)
/// 4  entryCount   int32
/// 8  crc          uint32  CRC-32C of the entries
/// 12 entries      entryCount * entry size, big-endian
/// </code>
/// </summary>
/// <remarks>
/// Kafka's index files carry no checksum and are sanity-checked instead; a checksum lets a
/// half-written index after a crash be told apart from a good one for certain, and the
/// index is then rebuilt from the log, which is the source of truth.
/// </remarks>
internal static class IndexFileFormat
{
    public const uint OffsetIndexMagic = 0x4F495831; // "OIX1"
    public const uint TimeIndexMagic = 0x54495831; // "TIX1"
    public const int HeaderSize = 12;

    /// <summary>Writes the file atomically: a temporary file, fsync, then a rename over the old one.</summary>
    public static void Write(string path, uint magic, int entryCount, ReadOnlySpan<byte> entries)
    {
        var bytes = new byte[HeaderSize + entries.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), entryCount);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), Crc32C.Compute(entries));
        entries.CopyTo(bytes.AsSpan(HeaderSize));
        AtomicFile.Write(path, bytes);
    }

    /// <summary>
    /// Reads and checks the file; returns the entry bytes, or false with the reason when the
    /// file is missing or damaged.
    /// </summary>
    public static bool TryRead(string path, uint magic, int entrySize, out byte[] entries, out string problem)
    {
        entries = [];
        if (!File.Exists(path))
        {
            problem = "missing";
            return false;
        }

        return TryParse(File.ReadAllBytes(path), magic, entrySize, out entries, out problem);
    }

    /// <summary>Checks a whole index file's bytes (read from disk or from the remote tier); returns the entry bytes, or false with the reason.</summary>
    public static bool TryParse(byte[] bytes, uint magic, int entrySize, out byte[] entries, out string problem)
    {
        entries = [];
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32BigEndian(bytes) != magic)
        {
            problem = "bad header";
            return false;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (count < 0 || (long)count * entrySize != bytes.Length - HeaderSize)
        {
            problem = $"size {bytes.Length} does not match {count} entries";
            return false;
        }

        var body = bytes.AsSpan(HeaderSize);
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)))
        {
            problem = "checksum mismatch";
            return false;
        }

        entries = body.ToArray();
        problem = string.Empty;
        return true;
    }
}
