using Orlog.Log.Files;

namespace Orlog.Log.Recovery;

/// <summary>
/// A <see cref="ILogFile"/> that passes everything to a real file until told to fail: a write
/// can throw <see cref="IOException"/> once a byte budget runs out, after writing the part that
/// fit (a torn write, as a full disk or a dying device leaves), and fsync can throw.
/// </summary>
/// <remarks>Once a write has failed, every later write fails too, writing nothing, until <see cref="Heal"/>.</remarks>
public sealed class FaultyLogFile(ILogFile inner) : ILogFile
{
    private readonly Lock _gate = new();
    private long _writeBudget = long.MaxValue;
    private volatile bool _failFlush;

    public string Path => inner.Path;

    public long Length => inner.Length;

    /// <summary>Writes that reached the file, torn ones included.</summary>
    public int Writes { get; private set; }

    /// <summary>Writes refused with an <see cref="IOException"/>.</summary>
    public int FailedWrites { get; private set; }

    public int Flushes { get; private set; }

    /// <summary>Makes every fsync from now on throw.</summary>
    public bool FailFlush
    {
        get => _failFlush;
        set => _failFlush = value;
    }

    /// <summary>
    /// Opens files through <paramref name="cache"/>, wrapped, and adds each to <paramref name="opened"/>
    /// so the test can reach the file a segment writes to.
    /// </summary>
    public static LogFileFactory Factory(FileHandleCache cache, List<FaultyLogFile> opened) =>
        path =>
        {
            var file = new FaultyLogFile(cache.Open(path));
            lock (opened)
            {
                opened.Add(file);
            }

            return file;
        };

    /// <summary>
    /// Lets <paramref name="bytes"/> more bytes through; the write that would pass them writes
    /// what fits and throws.
    /// </summary>
    public void FailAfterBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            _writeBudget = bytes;
        }
    }

    /// <summary>The next write puts only its first <paramref name="bytesWritten"/> bytes on disk, then throws.</summary>
    public void TearNextWrite(int bytesWritten) => FailAfterBytes(bytesWritten);

    /// <summary>The next write throws without writing anything.</summary>
    public void FailNextWrite() => FailAfterBytes(0);

    /// <summary>Stops injecting faults.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _writeBudget = long.MaxValue;
        }

        _failFlush = false;
    }

    public void Write(long position, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (data.Length <= _writeBudget)
            {
                if (_writeBudget != long.MaxValue)
                {
                    _writeBudget -= data.Length;
                }

                inner.Write(position, data);
                Writes++;
                return;
            }

            var part = (int)_writeBudget;
            _writeBudget = 0;
            if (part > 0)
            {
                inner.Write(position, data[..part]);
                Writes++;
            }

            FailedWrites++;
            throw new IOException($"Injected write failure in {Path}: {part} of {data.Length} bytes written at {position}.");
        }
    }

    public int Read(long position, Span<byte> buffer) => inner.Read(position, buffer);

    public void Flush()
    {
        if (_failFlush)
        {
            throw new IOException($"Injected fsync failure in {Path}.");
        }

        inner.Flush();
        lock (_gate)
        {
            Flushes++;
        }
    }

    public void Truncate(long length) => inner.Truncate(length);

    public void Delete() => inner.Delete();

    public void Dispose() => inner.Dispose();
}
