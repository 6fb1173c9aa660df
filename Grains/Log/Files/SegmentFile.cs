using Microsoft.Win32.SafeHandles;

namespace Orlog.Log.Files;

/// <summary>
/// A segment's <c>.log</c> file with positional I/O (<see cref="RandomAccess"/>) whose OS handle
/// is opened on demand and may be closed by the <see cref="FileHandleCache"/> when idle.
/// </summary>
/// <remarks>
/// Every operation leases the handle (a use count under a small lock), so eviction can close
/// it only between operations. <see cref="Length"/> is tracked in memory: the engine is the
/// only writer of its files.
/// </remarks>
public sealed class SegmentFile : ILogFile
{
    private readonly Lock _gate = new();
    private readonly FileHandleCache _cache;
    private SafeFileHandle? _handle;
    private int _users;
    private bool _closed;
    private long _length;

    internal SegmentFile(string path, FileHandleCache cache)
    {
        Path = path;
        _cache = cache;
        LruNode = new LinkedListNode<SegmentFile>(this);
        var info = new FileInfo(path);
        if (info.Exists)
        {
            _length = info.Length;
        }
        else
        {
            File.WriteAllBytes(path, []);
        }
    }

    public string Path { get; }

    public long Length => Volatile.Read(ref _length);

    internal LinkedListNode<SegmentFile> LruNode { get; }

    /// <summary>True while the OS handle is open (for tests of the handle bound).</summary>
    public bool IsHandleOpen
    {
        get
        {
            lock (_gate)
            {
                return _handle is not null;
            }
        }
    }

    public void Write(long position, ReadOnlySpan<byte> data)
    {
        var handle = Lease();
        try
        {
            RandomAccess.Write(handle, data, position);
            var end = position + data.Length;
            if (end > _length)
            {
                Volatile.Write(ref _length, end);
            }
        }
        finally
        {
            Return();
        }
    }

    public int Read(long position, Span<byte> buffer)
    {
        var handle = Lease();
        try
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer[total..], position + total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
        finally
        {
            Return();
        }
    }

    public void Flush()
    {
        var handle = Lease();
        try
        {
            RandomAccess.FlushToDisk(handle);
        }
        finally
        {
            Return();
        }
    }

    public void Truncate(long length)
    {
        var handle = Lease();
        try
        {
            RandomAccess.SetLength(handle, length);
            Volatile.Write(ref _length, length);
        }
        finally
        {
            Return();
        }
    }

    public void Delete()
    {
        Dispose();
        File.Delete(Path);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            if (_users == 0)
            {
                CloseHandleLocked();
            }
        }

        _cache.Forget(this);
    }

    internal bool TryCloseHandle()
    {
        lock (_gate)
        {
            if (_users > 0)
            {
                return false;
            }

            CloseHandleLocked();
            return true;
        }
    }

    private SafeFileHandle Lease()
    {
        SafeFileHandle handle;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            handle = _handle ??= File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            _users++;
        }

        _cache.Touch(this);
        return handle;
    }

    private void Return()
    {
        lock (_gate)
        {
            _users--;
            if (_users == 0 && _closed)
            {
                CloseHandleLocked();
            }
        }
    }

    private void CloseHandleLocked()
    {
        _handle?.Dispose();
        _handle = null;
    }
}
