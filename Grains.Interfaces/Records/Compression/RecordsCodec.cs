using System.Buffers;
using Orlog.Errors;

namespace Orlog.Records.Compression;

/// <summary>
/// What every codec shares: the cap on decompressed size and turning a codec library's own
/// failure into CORRUPT_MESSAGE, so callers see one error whatever the codec.
/// </summary>
internal abstract class RecordsCodec : IRecordsCodec
{
    private const int ReadChunkBytes = 16 * 1024;

    public abstract CompressionType Type { get; }

    public abstract void Compress(ReadOnlySpan<byte> records, IBufferWriter<byte> destination);

    public void Decompress(ReadOnlySpan<byte> compressed, IBufferWriter<byte> destination, int maxDecompressedBytes = RecordsCodecs.DefaultMaxDecompressedBytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedBytes);
        var bounded = new BoundedBufferWriter(destination, maxDecompressedBytes, Type);
        try
        {
            DecompressCore(compressed, bounded);
        }
        catch (Exception e) when (e is not OrlogException and not OutOfMemoryException)
        {
            throw new OrlogException(
                ErrorCode.CorruptMessage,
                $"The {Type} records section of {compressed.Length} bytes cannot be decompressed: {e.Message}",
                e);
        }
    }

    protected abstract void DecompressCore(ReadOnlySpan<byte> compressed, BoundedBufferWriter destination);

    /// <summary>Inflates through a decoder <see cref="Stream"/>, for libraries that only offer one.</summary>
    /// <remarks>Copies <paramref name="compressed"/> into a pooled array, since a stream cannot wrap a span.</remarks>
    protected static void DecompressThroughStream(ReadOnlySpan<byte> compressed, BoundedBufferWriter destination, Func<Stream, Stream> openDecoder)
    {
        var rented = ArrayPool<byte>.Shared.Rent(compressed.Length);
        try
        {
            compressed.CopyTo(rented);
            using var input = new MemoryStream(rented, 0, compressed.Length, writable: false);
            using var decoder = openDecoder(input);
            Drain(decoder, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Drain(Stream decoder, BoundedBufferWriter destination)
    {
        while (true)
        {
            if (destination.Remaining == 0)
            {
                // At the cap: one more byte from the decoder means the section is too large.
                Span<byte> probe = stackalloc byte[1];
                if (decoder.Read(probe) > 0)
                {
                    throw destination.TooLarge();
                }

                return;
            }

            var read = decoder.Read(destination.GetSpan(Math.Min(ReadChunkBytes, destination.Remaining)));
            if (read == 0)
            {
                return;
            }

            destination.Advance(read);
        }
    }
}
