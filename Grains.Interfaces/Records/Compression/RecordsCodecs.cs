using Orlog.Errors;

namespace Orlog.Records.Compression;

/// <summary>The codec for each <see cref="CompressionType"/> of the batch attributes.</summary>
public static class RecordsCodecs
{
    /// <summary>
    /// The most a records section may inflate to unless the caller says otherwise. A few hundred
    /// bytes of gzip or zstd can expand to gigabytes; the cap stops such a batch from exhausting
    /// memory. 64 MiB is well above any batch a producer builds under Kafka's default
    /// max.message.bytes (about 1 MiB compressed) at realistic compression ratios.
    /// </summary>
    public const int DefaultMaxDecompressedBytes = 64 * 1024 * 1024;

    /// <exception cref="OrlogException">UNSUPPORTED_COMPRESSION_TYPE for a codec number Kafka does not define.</exception>
    public static IRecordsCodec For(CompressionType type) => type switch
    {
        CompressionType.None => UncompressedCodec.Instance,
        CompressionType.Gzip => GzipCodec.Instance,
        CompressionType.Snappy => SnappyCodec.Instance,
        CompressionType.Lz4 => Lz4Codec.Instance,
        CompressionType.Zstd => ZstdCodec.Instance,
        _ => throw new OrlogException(
            ErrorCode.UnsupportedCompressionType,
            $"Compression codec {(int)type} is unknown; known codecs are none, gzip, snappy, lz4 and zstd."),
    };
}
