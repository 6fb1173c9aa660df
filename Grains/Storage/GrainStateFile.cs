using System.Buffers.Binary;
using Orlog.Errors;
using Orlog.Records;

namespace Orlog.Storage;

/// <summary>
/// The content of one grain state file, big-endian like the rest of Orlog's files:
/// <code>
///  0 magic          uint32 'OGST'
///  4 version        uint16 1
///  6 flags          uint16 0 (reserved)
///  8 crc            uint32 CRC-32C of bytes [12, end): the ETag, the grain id and the payload
/// 12 etag           int64  the ETag, a counter: +1 per write; a new record starts at the UTC clock in ticks
/// 20 typeLength     int32  bytes of the grain type
/// 24 keyLength      int32  bytes of the grain key
/// 28 payloadLength  int32  bytes of the payload
/// 32 grain type, grain key (raw bytes of the GrainId), payload (the IGrainStorageSerializer's output)
/// </code>
/// The file's length must equal 32 + the three lengths: a torn or padded file is damaged, not short state.
/// </summary>
internal static class GrainStateFile
{
    public const int HeaderSize = 32;
    private const uint Magic = 0x4F475354; // "OGST"
    private const ushort Version = 1;
    private const int CrcStart = 12;

    public static byte[] Encode(long etag, GrainId grainId, ReadOnlySpan<byte> payload)
    {
        var type = grainId.Type.AsSpan();
        var key = grainId.Key.AsSpan();
        var content = new byte[HeaderSize + type.Length + key.Length + payload.Length];
        var span = content.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], Version);
        BinaryPrimitives.WriteInt64BigEndian(span[12..], etag);
        BinaryPrimitives.WriteInt32BigEndian(span[20..], type.Length);
        BinaryPrimitives.WriteInt32BigEndian(span[24..], key.Length);
        BinaryPrimitives.WriteInt32BigEndian(span[28..], payload.Length);
        type.CopyTo(span[HeaderSize..]);
        key.CopyTo(span[(HeaderSize + type.Length)..]);
        payload.CopyTo(span[(HeaderSize + type.Length + key.Length)..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32C.Compute(span[CrcStart..]));
        return content;
    }

    /// <summary>Checks a file's content whole and returns its ETag and payload (a slice of <paramref name="content"/>).</summary>
    /// <exception cref="OrlogException"><see cref="ErrorCode.KafkaStorageError"/>: the file is damaged or belongs to another grain.</exception>
    public static (long ETag, ReadOnlyMemory<byte> Payload) Decode(byte[] content, string path, GrainId grainId)
    {
        var span = content.AsSpan();
        if (span.Length < HeaderSize)
        {
            throw Damaged(path, grainId, $"{span.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(span) != Magic)
        {
            throw Damaged(path, grainId, "it does not start with the magic 'OGST'");
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(span[4..]);
        if (version != Version)
        {
            throw Damaged(path, grainId, $"format version {version}, this Orlog reads version {Version} only");
        }

        var typeLength = BinaryPrimitives.ReadInt32BigEndian(span[20..]);
        var keyLength = BinaryPrimitives.ReadInt32BigEndian(span[24..]);
        var payloadLength = BinaryPrimitives.ReadInt32BigEndian(span[28..]);
        if (typeLength < 0 || keyLength < 0 || payloadLength < 0
            || (long)HeaderSize + typeLength + keyLength + payloadLength != span.Length)
        {
            throw Damaged(path, grainId, $"the lengths in its header do not add up to its size of {span.Length} bytes (torn write?)");
        }

        var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(span[8..]);
        var actualCrc = Crc32C.Compute(span[CrcStart..]);
        if (storedCrc != actualCrc)
        {
            throw Damaged(path, grainId, $"CRC-32C mismatch: stored {storedCrc:x8}, computed {actualCrc:x8}");
        }

        var type = span.Slice(HeaderSize, typeLength);
        var key = span.Slice(HeaderSize + typeLength, keyLength);
        if (!type.SequenceEqual(grainId.Type.AsSpan()) || !key.SequenceEqual(grainId.Key.AsSpan()))
        {
            throw Damaged(path, grainId, $"it holds the state of grain {GrainId.Create(new GrainType(type.ToArray()), new IdSpan(key.ToArray()))}");
        }

        return (BinaryPrimitives.ReadInt64BigEndian(span[12..]), content.AsMemory(HeaderSize + typeLength + keyLength, payloadLength));
    }

    private static OrlogException Damaged(string path, GrainId grainId, string reason) =>
        new(
            ErrorCode.KafkaStorageError,
            $"The grain state file '{path}' of grain {grainId} is damaged: {reason}. Its state cannot be trusted; restore the file from a backup, or delete it to start the grain from empty state.");
}
