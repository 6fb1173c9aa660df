using System.Buffers;
using System.Buffers.Binary;
using Orlog.Errors;
using Snappier;

namespace Orlog.Records.Compression;

/// <summary>
/// Codec 2: snappy in the framing of xerial snappy-java's SnappyOutputStream, which is what
/// Kafka's Java clients write and read:
/// <code>
/// 0   magic             8 bytes  0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
/// 8   version           int32 BE 1
/// 12  compatibleVersion int32 BE 1
/// 16  blocks, each: length int32 BE, then that many bytes of one raw snappy block
/// </code>
/// Reading also accepts a section that is one raw snappy block without the framing, as
/// snappy-java's SnappyInputStream does and as some non-Java clients send.
/// </summary>
internal sealed class SnappyCodec : RecordsCodec
{
    public static readonly SnappyCodec Instance = new();

    public const int HeaderSize = 16;

    /// <summary>snappy-java's default block: the uncompressed bytes compressed into one block.</summary>
    public const int BlockSize = 32 * 1024;

    private const int Version = 1;

    public static ReadOnlySpan<byte> Magic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0x00];

    public override CompressionType Type => CompressionType.Snappy;

    public override void Compress(ReadOnlySpan<byte> records, IBufferWriter<byte> destination)
    {
        var header = destination.GetSpan(HeaderSize);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], Version);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], Version);
        destination.Advance(HeaderSize);

        while (!records.IsEmpty)
        {
            var chunk = records[..Math.Min(BlockSize, records.Length)];
            records = records[chunk.Length..];
            var block = destination.GetSpan(sizeof(int) + Snappy.GetMaxCompressedLength(chunk.Length));
            var compressedLength = Snappy.Compress(chunk, block[sizeof(int)..]);
            BinaryPrimitives.WriteInt32BigEndian(block, compressedLength);
            destination.Advance(sizeof(int) + compressedLength);
        }
    }

    protected override void DecompressCore(ReadOnlySpan<byte> compressed, BoundedBufferWriter destination)
    {
        if (!IsFramed(compressed))
        {
            DecompressBlock(compressed, destination);
            return;
        }

        var blocks = compressed[HeaderSize..];
        while (!blocks.IsEmpty)
        {
            // Concatenated streams repeat the header; a block length never starts with 0x82 (it would be negative).
            if (IsFramed(blocks))
            {
                blocks = blocks[HeaderSize..];
                continue;
            }

            if (blocks.Length < sizeof(int))
            {
                throw Corrupt($"{blocks.Length} bytes are left where a block length of 4 bytes should be");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(blocks);
            blocks = blocks[sizeof(int)..];
            if (length < 0 || length > blocks.Length)
            {
                throw Corrupt($"a block declares {length} bytes but {blocks.Length} follow");
            }

            DecompressBlock(blocks[..length], destination);
            blocks = blocks[length..];
        }
    }

    private static bool IsFramed(ReadOnlySpan<byte> compressed) =>
        compressed.Length >= HeaderSize && compressed.StartsWith(Magic);

    private static void DecompressBlock(ReadOnlySpan<byte> block, BoundedBufferWriter destination)
    {
        var length = Snappy.GetUncompressedLength(block);
        var output = destination.GetSpan(length)[..length];
        var written = Snappy.Decompress(block, output);
        if (written != length)
        {
            throw Corrupt($"a block declares {length} uncompressed bytes but holds {written}");
        }

        destination.Advance(written);
    }

    private static OrlogException Corrupt(string what) =>
        new(ErrorCode.CorruptMessage, $"The snappy records section is malformed: {what}.");
}
