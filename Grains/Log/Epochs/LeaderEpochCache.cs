using System.Globalization;
using System.Text;
using Orlog.Errors;

namespace Orlog.Log.Epochs;

/// <summary>
/// Which leader epoch wrote which offsets: the (epoch → start offset) list that replication
/// uses to truncate a follower by epoch rather than by high watermark. Kept beside the log in
/// <c>leader-epoch-checkpoint</c>, in Kafka's text format:
/// <code>
/// 0                 version
/// 2                 number of entries
/// 0 0               epoch start-offset
/// 3 1200
/// </code>
/// </summary>
/// <remarks>Not thread-safe; the owning log serializes calls. Every change is persisted atomically before it is used.</remarks>
public sealed class LeaderEpochCache
{
    public const string FileName = "leader-epoch-checkpoint";
    private readonly string _path;
    private readonly List<EpochEntry> _entries;

    private LeaderEpochCache(string path, List<EpochEntry> entries)
    {
        _path = path;
        _entries = entries;
    }

    public IReadOnlyList<EpochEntry> Entries => _entries;

    /// <summary>The newest epoch, or -1 when nothing was written yet.</summary>
    public int LatestEpoch => _entries.Count > 0 ? _entries[^1].Epoch : -1;

    /// <summary>Loads the checkpoint; false when it is missing or does not parse (the caller rebuilds it from the log).</summary>
    public static bool TryLoad(string directory, out LeaderEpochCache cache)
    {
        var path = Path.Combine(directory, FileName);
        cache = new LeaderEpochCache(path, []);
        if (!File.Exists(path))
        {
            return false;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0] != "0" || !int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || lines.Length != count + 2)
        {
            return false;
        }

        foreach (var line in lines.AsSpan(2))
        {
            var parts = line.Split(' ');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || (cache._entries.Count > 0 && (epoch <= cache.LatestEpoch || start < cache._entries[^1].StartOffset)))
            {
                cache._entries.Clear();
                return false;
            }

            cache._entries.Add(new EpochEntry(epoch, start));
        }

        return true;
    }

    /// <summary>Starts from the epochs found in the stored batches, oldest first.</summary>
    public static LeaderEpochCache Rebuild(string directory, IEnumerable<EpochEntry> fromLog)
    {
        var cache = new LeaderEpochCache(Path.Combine(directory, FileName), []);
        foreach (var entry in fromLog)
        {
            if (entry.Epoch > cache.LatestEpoch)
            {
                cache._entries.Add(entry);
            }
        }

        if (cache._entries.Count > 0)
        {
            cache.Save();
        }

        return cache;
    }

    /// <summary>
    /// Records that <paramref name="epoch"/> starts writing at <paramref name="startOffset"/>.
    /// The same epoch again is a no-op; an older one is a stale leader and is refused.
    /// </summary>
    public void Assign(int epoch, long startOffset)
    {
        if (epoch == LatestEpoch)
        {
            return;
        }

        if (epoch < LatestEpoch)
        {
            throw new OrlogException(
                ErrorCode.FencedLeaderEpoch,
                $"Leader epoch {epoch} is older than the log's latest epoch {LatestEpoch}; this leader has been replaced.");
        }

        _entries.Add(new EpochEntry(epoch, startOffset));
        Save();
    }

    /// <summary>
    /// Kafka's OffsetsForLeaderEpoch: the largest epoch at or below <paramref name="epoch"/>
    /// and the offset where it ended (the next epoch's start, or the log end for the latest).
    /// (-1, -1) when the log knows no such epoch.
    /// </summary>
    public EpochEnd EndOffsetFor(int epoch, long logEndOffset)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Epoch <= epoch)
            {
                var end = i == _entries.Count - 1 ? logEndOffset : _entries[i + 1].StartOffset;
                return new EpochEnd(_entries[i].Epoch, end);
            }
        }

        return new EpochEnd(-1, -1);
    }

    /// <summary>Forgets epochs that start at or after <paramref name="endOffset"/> (after a truncation).</summary>
    public void TruncateFromEnd(long endOffset)
    {
        var keep = _entries.Count;
        while (keep > 0 && _entries[keep - 1].StartOffset >= endOffset)
        {
            keep--;
        }

        if (keep < _entries.Count)
        {
            _entries.RemoveRange(keep, _entries.Count - keep);
            Save();
        }
    }

    /// <summary>Drops epochs wholly below <paramref name="startOffset"/>; the epoch covering it now starts there.</summary>
    public void TruncateFromStart(long startOffset)
    {
        var covering = -1;
        for (var i = 0; i < _entries.Count && _entries[i].StartOffset <= startOffset; i++)
        {
            covering = i;
        }

        if (covering < 0 || (covering == 0 && _entries[0].StartOffset == startOffset))
        {
            return;
        }

        var epoch = _entries[covering].Epoch;
        _entries.RemoveRange(0, covering + 1);
        _entries.Insert(0, new EpochEntry(epoch, startOffset));
        Save();
    }

    private void Save()
    {
        var text = new StringBuilder();
        text.Append("0\n").Append(_entries.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var entry in _entries)
        {
            text.Append(entry.Epoch.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(entry.StartOffset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        AtomicFile.Write(_path, Encoding.ASCII.GetBytes(text.ToString()));
    }
}
