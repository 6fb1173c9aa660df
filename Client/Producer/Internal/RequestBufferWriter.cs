using System.Buffers;
using Orlog.Partitions;

namespace Orlog.Client;

/// <summary>
/// Writes a produce request into a buffer rented from <see cref="ArrayPool{T}.Shared"/> and sized up
/// front, so that an uncompressed request (whose size is known exactly) is built with no copy;
/// compressed output that outgrows the estimate moves to a larger rented buffer.
/// </summary>
internal sealed class RequestBufferWriter(int sizeHint) : IBufferWriter<byte>
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 1));
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

    /// <summary>The written bytes, owning the rented buffer from here: release them once the broker answered.</summary>
    public ProduceBatches ToBatches() => ProduceBatches.FromRented(_buffer, _written);

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}
