using System.Buffers;

namespace Orlog.Records.Compression;

/// <summary>Compresses and decompresses a batch's records section as a whole, in one codec's format.</summary>
public interface IRecordsCodec
{
    CompressionType Type { get; }

    /// <summary>Appends the compressed form of <paramref name="records"/> to <paramref name="destination"/>.</summary>
    void Compress(ReadOnlySpan<byte> records, IBufferWriter<byte> destination);

    /// <summary>Appends the records section that <paramref name="compressed"/> inflates to.</summary>
    /// <exception cref="Errors.OrlogException">
    /// CORRUPT_MESSAGE when the data is not valid for the codec or inflates to more than
    /// <paramref name="maxDecompressedBytes"/>; <paramref name="destination"/> may then hold part of the output.
    /// </exception>
    void Decompress(ReadOnlySpan<byte> compressed, IBufferWriter<byte> destination, int maxDecompressedBytes = RecordsCodecs.DefaultMaxDecompressedBytes);
}
