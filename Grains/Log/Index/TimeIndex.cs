using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orlog.Log.Index;

/// <summary>
/// The sparse time index of one segment: entries (max timestamp so far, offset relative to
/// the segment base) whose timestamps strictly grow, added at most once per index interval.
/// An entry (t, o) promises that no record before offset o has a timestamp above t.
/// </summary>
/// <remarks>Held in memory, written when the segment closes; the owning log serializes access.</remarks>
public sealed class TimeIndex : SparseIndex<TimeIndex.Entry>
{
    private const int EntrySize = 12;

    public TimeIndex(long baseOffset)
        : this(baseOffset, [])
    {
    }

    private TimeIndex(long baseOffset, List<Entry> entries)
        : base(baseOffset, entries)
    {
    }

    /// <summary>The largest timestamp indexed, or -1.</summary>
    public long LastTimestamp => Entries.Count > 0 ? Entries[^1].Timestamp : -1;

    /// <summary>Adds (timestamp, offset) if the timestamp is above the last entry's.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (timestamp <= LastTimestamp)
        {
            return;
        }

        var relative = Relative(offset);
        if (Entries.Count > 0 && relative < Entries[^1].RelativeOffset)
        {
            return;
        }

        Entries.Add(new Entry(timestamp, relative));
    }

    /// <summary>
    /// An offset from which a scan for the first record with a timestamp at or above
    /// <paramref name="timestamp"/> can start: the offset of the last entry whose timestamp is
    /// below it, or the segment start.
    /// </summary>
    public long LookupScanStart(long timestamp)
    {
        var entries = CollectionsMarshal.AsSpan(Entries);
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

    public void Save(string path)
    {
        var bytes = new byte[Entries.Count * EntrySize];
        for (var i = 0; i < Entries.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(i * EntrySize), Entries[i].Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan((i * EntrySize) + 8), Entries[i].RelativeOffset);
        }

        IndexFileFormat.Write(path, IndexFileFormat.TimeIndexMagic, Entries.Count, bytes);
    }

    /// <summary>Loads a saved time index, checking its checksum and ordering; false with the reason otherwise.</summary>
    public static bool TryLoad(string path, long baseOffset, out TimeIndex index, out string problem)
    {
        index = new TimeIndex(baseOffset);
        return IndexFileFormat.TryRead(path, IndexFileFormat.TimeIndexMagic, EntrySize, out var bytes, out problem)
            && TryParseEntries(bytes, baseOffset, out index, out problem);
    }

    /// <summary>Parses a whole <c>.timeindex</c> file's bytes (as the remote tier stores it), with the checks of <see cref="TryLoad"/>.</summary>
    public static bool TryParse(byte[] file, long baseOffset, out TimeIndex index, out string problem)
    {
        index = new TimeIndex(baseOffset);
        return IndexFileFormat.TryParse(file, IndexFileFormat.TimeIndexMagic, EntrySize, out var bytes, out problem)
            && TryParseEntries(bytes, baseOffset, out index, out problem);
    }

    private static bool TryParseEntries(byte[] bytes, long baseOffset, out TimeIndex index, out string problem)
    {
        index = new TimeIndex(baseOffset);
        problem = string.Empty;

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

    private protected override int RelativeOffsetOf(Entry entry) => entry.RelativeOffset;

    public readonly record struct Entry(long Timestamp, int RelativeOffset);
}
