namespace Orlog.Log.Files;

/// <summary>
/// Bounds the number of open segment files in a silo: a least-recently-used list of the
/// <see cref="SegmentFile"/>s that hold a handle. Past the capacity the coldest idle file
/// closes its handle; it reopens on its next use. 10,000 partitions need no 10,000 handles.
/// </summary>
/// <remarks>
/// Thread-safe. A file is never closed while an operation is using it (see
/// <see cref="SegmentFile"/>); the cache never holds its own lock while calling into a file,
/// so the two locks cannot deadlock.
/// </remarks>
public sealed class FileHandleCache
{
    public const int DefaultCapacity = 4096;

    private readonly Lock _gate = new();
    private readonly LinkedList<SegmentFile> _lru = new();
    private readonly int _capacity;
    private SegmentFile? _mostRecent;

    public FileHandleCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Files holding an open handle right now.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _lru.Count;
            }
        }
    }

    /// <summary>Opens (or creates) a segment file whose handle this cache manages.</summary>
    public SegmentFile Open(string path) => new(path, this);

    internal void Touch(SegmentFile file)
    {
        // The common case, a partition's active segment written over and over, takes no lock.
        if (Volatile.Read(ref _mostRecent) == file)
        {
            return;
        }

        lock (_gate)
        {
            Volatile.Write(ref _mostRecent, file);
            var node = file.LruNode;
            if (node.List is null)
            {
                _lru.AddFirst(node);
            }
            else if (node != _lru.First)
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
            }
        }

        EvictOverCapacity(file);
    }

    /// <summary>
    /// Closes the coldest handles until the cache is within capacity. A file in use at this moment
    /// cannot close: it goes back to the front (it is hot) and the next coldest is tried, so the
    /// bound holds unless every other file is in use.
    /// </summary>
    private void EvictOverCapacity(SegmentFile touched)
    {
        HashSet<SegmentFile>? busy = null;
        while (true)
        {
            SegmentFile victim;
            lock (_gate)
            {
                if (_lru.Count <= _capacity || _lru.Last is not { } coldest || coldest.Value == touched || busy?.Contains(coldest.Value) == true)
                {
                    return;
                }

                _lru.RemoveLast();
                victim = coldest.Value;
            }

            if (!victim.TryCloseHandle())
            {
                (busy ??= []).Add(victim);
                lock (_gate)
                {
                    if (victim.LruNode.List is null)
                    {
                        _lru.AddFirst(victim.LruNode);
                    }
                }
            }
        }
    }

    internal void Forget(SegmentFile file)
    {
        lock (_gate)
        {
            if (_mostRecent == file)
            {
                Volatile.Write(ref _mostRecent, null);
            }

            if (file.LruNode.List is not null)
            {
                _lru.Remove(file.LruNode);
            }
        }
    }
}
