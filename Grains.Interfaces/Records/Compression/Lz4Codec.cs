using System.Buffers;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;

namespace Orlog.Records.Compression;

/// <summary>Codec 3: one LZ4 frame (the LZ4 frame format, magic 0x184D2204), which Kafka uses from magic 1 on.</summary>
internal sealed class Lz4Codec : RecordsCodec
{
    public static readonly Lz4Codec Instance = new();

    // Kafka's Java reader decompresses each block on its own, so blocks must not refer back to
    // earlier ones; 64 KiB blocks and no checksums are what Kafka's own writer emits.
    private static readonly LZ4EncoderSettings EncoderSettings = new()
    {
        BlockSize = 64 * 1024,
        ChainBlocks = false,
        BlockChecksum = false,
        ContentChecksum = false,
        CompressionLevel = LZ4Level.L00_FAST,
    };

    private static readonly Func<Stream, Stream> OpenDecoder = input => LZ4Stream.Decode(input);

    public override CompressionType Type => CompressionType.Lz4;

    public override void Compress(ReadOnlySpan<byte> records, IBufferWriter<byte> destination) =>
        LZ4Frame.Encode(records, destination, EncoderSettings);

    protected override void DecompressCore(ReadOnlySpan<byte> compressed, BoundedBufferWriter destination) =>
        DecompressThroughStream(compressed, destination, OpenDecoder);
}
