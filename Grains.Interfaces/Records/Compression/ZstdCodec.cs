using System.Buffers;
using ZstdSharp;

namespace Orlog.Records.Compression;

/// <summary>Codec 4: Zstandard frames (RFC 8878).</summary>
internal sealed class ZstdCodec : RecordsCodec
{
    public static readonly ZstdCodec Instance = new();

    /// <summary>Kafka's default compression.zstd.level.</summary>
    private const int Level = 3;

    private static readonly Func<Stream, Stream> OpenDecoder = input => new DecompressionStream(input);

    // A compression context holds about a megabyte of tables; building one per batch would cost
    // more than the compression itself, so each thread keeps one.
    [ThreadStatic]
    private static Compressor? _threadCompressor;

    public override CompressionType Type => CompressionType.Zstd;

    public override void Compress(ReadOnlySpan<byte> records, IBufferWriter<byte> destination)
    {
        var compressor = _threadCompressor ??= new Compressor(Level);
        var bound = Compressor.GetCompressBound(records.Length);
        var written = compressor.Wrap(records, destination.GetSpan(bound));
        destination.Advance(written);
    }

    protected override void DecompressCore(ReadOnlySpan<byte> compressed, BoundedBufferWriter destination) =>
        DecompressThroughStream(compressed, destination, OpenDecoder);
}
