using System.Buffers;
using Orlog.Log.Files;
using Orlog.Records;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Log;

/// <summary>
/// Walks the batches of a segment file from a byte position, reading the file in large
/// chunks and decoding headers only. With <c>verify</c> on, it also checks each batch's CRC
/// and that offsets follow one another, as recovery needs.
/// </summary>
/// <remarks>
/// Owns a buffer rented from <see cref="ArrayPool{T}.Shared"/> until disposed; the spans it
/// hands out are valid only until the next call to <see cref="TryNext"/>. Disposed scanners are
/// kept for reuse on their thread, so a disposed scanner must not be touched again.
/// </remarks>
internal sealed class BatchScanner : IDisposable
{
    /// <summary>One idle scanner per thread: a lookup per fetch then allocates nothing.</summary>
    [ThreadStatic]
    private static BatchScanner? t_idle;

    private ILogFile _file = null!;
    private long _end;
    private bool _verify;
    private int _chunkBytes;
    private byte[] _buffer = [];
    private long _bufferStart;
    private int _bufferLength;
    private long _position;
    private long _expectedOffset;

    private BatchScanner()
    {
    }

    /// <summary>A scanner over [<paramref name="startPosition"/>, <paramref name="endPosition"/>) of <paramref name="file"/>; dispose it when done.</summary>
    /// <param name="expectedBaseOffset">With <paramref name="verify"/>, the base offset the first batch must have; -1 to accept any.</param>
    public static BatchScanner Start(ILogFile file, long startPosition, long endPosition, int chunkBytes, bool verify = false, long expectedBaseOffset = -1)
    {
        var scanner = t_idle ?? new BatchScanner();
        t_idle = null;
        scanner._file = file;
        scanner._position = startPosition;
        scanner._end = endPosition;
        scanner._verify = verify;
        scanner._expectedOffset = expectedBaseOffset;
        scanner._chunkBytes = Math.Max(chunkBytes, HeaderSize);
        scanner._buffer = ArrayPool<byte>.Shared.Rent(scanner._chunkBytes);
        scanner._bufferStart = startPosition;
        scanner._bufferLength = 0;
        scanner.Stop = ScanStop.End;
        scanner.StopReason = string.Empty;
        return scanner;
    }

    /// <summary>Where the next batch would start: after the last batch returned.</summary>
    public long Position => _position;

    /// <summary>What stopped the scan once <see cref="TryNext"/> returned false.</summary>
    public ScanStop Stop { get; private set; }

    /// <summary>Why the scan stopped, in words, for the recovery report.</summary>
    public string StopReason { get; private set; } = string.Empty;

    public bool TryNext(out BatchInfo batch)
    {
        batch = default;
        var remaining = _end - _position;
        if (remaining == 0)
        {
            return Finish(ScanStop.End, string.Empty);
        }

        if (remaining < HeaderSize)
        {
            return Finish(ScanStop.Torn, $"{remaining} bytes at position {_position} are less than a batch header");
        }

        var header = new RecordBatchHeader(Window(HeaderSize));
        var size = (long)LogOverhead + header.BatchLength;
        if (header.BatchLength < HeaderSize - LogOverhead)
        {
            return Finish(ScanStop.Corrupt, $"batch at position {_position} declares an impossible length {header.BatchLength}");
        }

        if (header.Magic != CurrentMagic)
        {
            return Finish(ScanStop.Corrupt, $"batch at position {_position} has magic {header.Magic}");
        }

        if (size > remaining)
        {
            return Finish(ScanStop.Torn, $"batch at position {_position} needs {size} bytes but {remaining} remain");
        }

        batch = new BatchInfo(_position, (int)size, header.BaseOffset, header.LastOffset, header.MaxTimestamp, header.PartitionLeaderEpoch);
        if (_verify)
        {
            if (_expectedOffset >= 0 && batch.BaseOffset != _expectedOffset)
            {
                return Finish(ScanStop.Corrupt, $"batch at position {_position} has base offset {batch.BaseOffset}, expected {_expectedOffset}");
            }

            if (header.LastOffsetDelta < 0 || !RecordBatch.IsCrcValid(Window((int)size)))
            {
                return Finish(ScanStop.Corrupt, $"batch at position {_position} (offset {batch.BaseOffset}) fails its CRC check");
            }

            _expectedOffset = batch.NextOffset;
        }

        _position += size;
        return true;
    }

    /// <summary>The bytes of the batch last returned by <see cref="TryNext"/>, read in whole.</summary>
    public ReadOnlySpan<byte> CurrentBatch(in BatchInfo batch)
    {
        _position = batch.Position;
        var span = Window(batch.Size);
        _position = batch.EndPosition;
        return span;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _file = null!;
        t_idle = this;
    }

    /// <summary>At least <paramref name="count"/> bytes starting at the current position, refilling the buffer when needed.</summary>
    private ReadOnlySpan<byte> Window(int count)
    {
        var offsetInBuffer = _position - _bufferStart;
        if (offsetInBuffer < 0 || offsetInBuffer + count > _bufferLength)
        {
            if (count > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(count);
            }

            var toRead = (int)Math.Min(Math.Max(count, _chunkBytes), _end - _position);
            _bufferLength = _file.Read(_position, _buffer.AsSpan(0, toRead));
            _bufferStart = _position;
            offsetInBuffer = 0;
            if (_bufferLength < count)
            {
                throw new IOException($"Segment file {_file.Path} ended at {_position + _bufferLength} while {count} bytes were expected at {_position}.");
            }
        }

        return _buffer.AsSpan((int)offsetInBuffer, count);
    }

    private bool Finish(ScanStop stop, string reason)
    {
        Stop = stop;
        StopReason = reason;
        return false;
    }
}
