using System.Buffers;
using Orleans;
using Orleans.Concurrency;

namespace Orlog.Partitions;

/// <summary>
/// The record batches of a produce request (v2, back to back). A co-hosted caller's buffer is
/// passed by reference (the type is immutable to Orleans), and the broker stamps offsets into it.
/// A request that crossed the network arrives in a buffer rented from <see cref="ArrayPool{T}.Shared"/>
/// (<see cref="ProduceBatchesCodec"/>), which the broker gives back with <see cref="Release"/> once
/// the batches are stored: large requests then reuse warm memory instead of each allocating a
/// large object that only a full garbage collection frees. A producer may build its request in a
/// rented buffer too (<see cref="FromRented"/>) and release it when the call succeeded; whoever
/// releases first returns the buffer, exactly once.
/// </summary>
[Immutable]
[Alias("orlog.produce-batches")]
public sealed class ProduceBatches
{
    private readonly bool _rented;
    private byte[]? _buffer;

    /// <param name="batches">The batches; the broker writes offsets into this array, so the caller must not reuse it.</param>
    public ProduceBatches(byte[]? batches)
        : this(batches, batches?.Length ?? 0, rented: false)
    {
    }

    private ProduceBatches(byte[]? buffer, int length, bool rented)
    {
        _buffer = buffer;
        Length = length;
        _rented = rented;
    }

    /// <summary>Batches written to the first <paramref name="length"/> bytes of a buffer rented from <see cref="ArrayPool{T}.Shared"/>; the pool gets it back on <see cref="Release"/>.</summary>
    public static ProduceBatches FromRented(byte[] buffer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Length);
        return new ProduceBatches(buffer, length, rented: true);
    }

    /// <summary>True when the request carries no buffer at all (or it was released).</summary>
    public bool IsMissing => Volatile.Read(ref _buffer) is null;

    public int Length { get; }

    /// <summary>The batches, writable: the broker stamps offsets and leader epochs in place.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Release"/>.</exception>
    public Span<byte> Span => Volatile.Read(ref _buffer) is { } buffer
        ? buffer.AsSpan(0, Length)
        : throw new ObjectDisposedException(nameof(ProduceBatches), "The batches were released or never given.");

    /// <summary>
    /// Returns a rented buffer to the pool (nothing for a caller's own array); the batches are unusable afterwards.
    /// Only the first call does anything.
    /// </summary>
    public void Release()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (_rented && buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static implicit operator ProduceBatches(Immutable<byte[]> batches) => new(batches.Value);
}
