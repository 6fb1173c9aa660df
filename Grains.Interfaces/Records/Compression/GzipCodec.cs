using System.Buffers;
using System.IO.Compression;

namespace Orlog.Records.Compression;

/// <summary>Codec 1: one gzip stream (RFC 1952), as java.util.zip.GZIPOutputStream writes it.</summary>
/// <remarks>
/// .NET's GZipStream ends quietly, without an error, when its input is cut short. A truncated
/// section still cannot pass as a batch: the CRC covers the compressed bytes, and
/// <see cref="RecordBatchReader"/> refuses a records section that ends inside a record or holds
/// fewer records than the header counts.
/// </remarks>
internal sealed class GzipCodec : RecordsCodec
{
    public static readonly GzipCodec Instance = new();

    private static readonly Func<Stream, Stream> OpenDecoder = input => new GZipStream(input, CompressionMode.Decompress);

    public override CompressionType Type => CompressionType.Gzip;

    public override void Compress(ReadOnlySpan<byte> records, IBufferWriter<byte> destination)
    {
        // Optimal is zlib's level 6, the level Kafka uses by default.
        using var gzip = new GZipStream(new BufferWriterStream(destination), CompressionLevel.Optimal);
        gzip.Write(records);
    }

    protected override void DecompressCore(ReadOnlySpan<byte> compressed, BoundedBufferWriter destination) =>
        DecompressThroughStream(compressed, destination, OpenDecoder);
}
