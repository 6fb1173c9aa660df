using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orlog.Log.Index;

/// <summary>
/// The sparse time index of one segment: entries (max timestamp so far, offset relative to
/// the segment base) whose timestamps strictly grow, added at most once per index interval.
/// An entry (t, o) promises that no record before offset o has a timestamp above t.
/// </summary>
/// <remarks>Held in memory, written when the segment closes; the owning log serializes access.</remarks>
public sealed class TimeIndex
{
    private const int EntrySize = 12;
    private readonly List<Entry> _entries;

    public TimeIndex(long baseOffset)
        : this(baseOffset, [])
    {
    }

    private TimeIndex(long baseOffset, List<Entry> entries)
    {
        BaseOffset = baseOffset;
        _entries = entries;
    }

    public long BaseOffset { get; }

    public int Count => _entries.Count;

    /// <summary>The largest timestamp indexed, or -1.</summary>
    public long LastTimestamp => _entries.Count > 0 ? _entries[^1].Timestamp : -1;

    /// <summary>Adds (timestamp, offset) if the timestamp is above the last entry's.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (timestamp <= LastTimestamp)
        {
            return;
        }

        var relative = checked((int)(offset - BaseOffset));
        if (_entries.Count > 0 && relative < _entries[^1].RelativeOffset)
        {
            return;
        }

        _entries.Add(new Entry(timestamp, relative));
    }

    /// <summary>
    /// An offset from which a scan for the first record with a timestamp at or above
    /// <paramref name="timestamp"/> can start: the offset of the last entry whose timestamp is
    /// below it, or the segment start.
    /// </summary>
    public long LookupScanStart(long timestamp)
    {
        var entries = CollectionsMarshal.AsSpan(_entries);
        int low = 0, high = entries.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (entries[middle].Timestamp < timestamp)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found < 0 ? BaseOffset : BaseOffset + entries[found].RelativeOffset;
    }

    /// <summary>Drops the entries at or above <paramref name="offset"/>.</summary>
    public void TruncateTo(long offset)
    {
        var relative = offset - BaseOffset;
        var keep = _entries.Count;
        while (keep > 0 && _entries[keep - 1].RelativeOffset >= relative)
        {
            keep--;
        }

        _entries.RemoveRange(keep, _entries.Count - keep);
    }

    public void Save(string path)
    {
        var bytes = new byte[_entries.Count * EntrySize];
        for (var i = 0; i < _entries.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(i * EntrySize), _entries[i].Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan((i * EntrySize) + 8), _entries[i].RelativeOffset);
        }

        IndexFileFormat.Write(path, IndexFileFormat.TimeIndexMagic, _entries.Count, bytes);
    }

    /// <summary>Loads a saved time index, checking its checksum and ordering; false with the reason otherwise.</summary>
    public static bool TryLoad(string path, long baseOffset, out TimeIndex index, out string problem)
    {
        index = new TimeIndex(baseOffset);
        if (!IndexFileFormat.TryRead(path, IndexFileFormat.TimeIndexMagic, EntrySize, out var bytes, out problem))
        {
            return false;
        }

        var entries = new List<Entry>(bytes.Length / EntrySize);
        for (var at = 0; at < bytes.Length; at += EntrySize)
        {
            var entry = new Entry(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at + 8)));
            if (entries.Count > 0 && (entry.Timestamp <= entries[^1].Timestamp || entry.RelativeOffset < entries[^1].RelativeOffset))
            {
                problem = $"entry {entries.Count} is out of order";
                return false;
            }

            entries.Add(entry);
        }

        index = new TimeIndex(baseOffset, entries);
        return true;
    }

    private readonly record struct Entry(long Timestamp, int RelativeOffset);
}
