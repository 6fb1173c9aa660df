using System.Buffers;
using Orlog.Errors;

namespace Orlog.Records.Compression;

/// <summary>
/// Passes writes through to another buffer writer until a byte budget is spent, then refuses
/// with CORRUPT_MESSAGE: the guard against a records section that decompresses without end.
/// </summary>
/// <remarks>
/// A size hint is taken as the number of bytes the codec is about to write (true of the codecs
/// here), so a hint past the budget is refused before the inner writer grows for it.
/// </remarks>
internal sealed class BoundedBufferWriter : IBufferWriter<byte>
{
    private readonly IBufferWriter<byte> _inner;
    private readonly int _maxBytes;
    private readonly CompressionType _codec;

    public BoundedBufferWriter(IBufferWriter<byte> inner, int maxBytes, CompressionType codec)
    {
        _inner = inner;
        _maxBytes = maxBytes;
        _codec = codec;
    }

    public int Written { get; private set; }

    public int Remaining => _maxBytes - Written;

    public void Advance(int count)
    {
        if (count > Remaining)
        {
            throw TooLarge();
        }

        _inner.Advance(count);
        Written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        CheckHint(sizeHint);
        return _inner.GetMemory(sizeHint);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        CheckHint(sizeHint);
        return _inner.GetSpan(sizeHint);
    }

    public OrlogException TooLarge() =>
        new(
            ErrorCode.CorruptMessage,
            $"The {_codec} records section decompresses to more than {_maxBytes} bytes, the most allowed; the batch is corrupt or hostile.");

    private void CheckHint(int sizeHint)
    {
        if (sizeHint > Remaining)
        {
            throw TooLarge();
        }
    }
}
