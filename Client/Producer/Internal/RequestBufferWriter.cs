using System.Buffers;

namespace Orlog.Client;

/// <summary>
/// Writes a produce request into a fresh array sized up front, so that an uncompressed request
/// (whose size is known exactly) is built with no copy; compressed output that outgrows the
/// estimate grows the array.
/// </summary>
internal sealed class RequestBufferWriter(int sizeHint) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[Math.Max(sizeHint, 1)];
    private int _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>The written bytes: the array itself when it is exactly full, else a right-sized copy.</summary>
    public byte[] ToArray() => _written == _buffer.Length ? _buffer : _buffer.AsSpan(0, _written).ToArray();

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
