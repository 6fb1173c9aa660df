using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orlog.Log.Index;

/// <summary>
/// The sparse offset index of one segment: every <c>index.interval.bytes</c> of log, the
/// base offset of a batch (relative to the segment's base offset, 4 bytes) and its byte
/// position (4 bytes). A lookup binary-searches it and the caller scans at most one interval.
/// </summary>
/// <remarks>
/// Held in memory (8 bytes per 4 KiB of log: 2 MiB for a full 1 GiB segment) and written to
/// disk when the segment closes. Not thread-safe: the owning log serializes access.
/// </remarks>
public sealed class OffsetIndex : SparseIndex<OffsetIndex.Entry>
{
    private const int EntrySize = 8;

    public OffsetIndex(long baseOffset)
        : this(baseOffset, [])
    {
    }

    private OffsetIndex(long baseOffset, List<Entry> entries)
        : base(baseOffset, entries)
    {
    }

    /// <summary>Adds an entry; offsets and positions must grow.</summary>
    public void Append(long offset, int position)
    {
        var relative = Relative(offset);
        if (Entries.Count > 0)
        {
            var last = Entries[^1];
            if (relative <= last.RelativeOffset || position <= last.Position)
            {
                throw new InvalidOperationException($"Index entry ({offset}, {position}) does not follow ({BaseOffset + last.RelativeOffset}, {last.Position}).");
            }
        }

        Entries.Add(new Entry(relative, position));
    }

    /// <summary>The last entry at or below <paramref name="targetOffset"/>, or the segment start.</summary>
    public OffsetPosition Lookup(long targetOffset)
    {
        var entries = CollectionsMarshal.AsSpan(Entries);
        var relativeTarget = targetOffset - BaseOffset;
        int low = 0, high = entries.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (entries[middle].RelativeOffset <= relativeTarget)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found < 0
            ? new OffsetPosition(BaseOffset, 0)
            : new OffsetPosition(BaseOffset + entries[found].RelativeOffset, entries[found].Position);
    }

    public void Save(string path)
    {
        var bytes = new byte[Entries.Count * EntrySize];
        for (var i = 0; i < Entries.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize), Entries[i].RelativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan((i * EntrySize) + 4), Entries[i].Position);
        }

        IndexFileFormat.Write(path, IndexFileFormat.OffsetIndexMagic, Entries.Count, bytes);
    }

    /// <summary>
    /// Loads a saved index, checking its checksum and that its entries grow and stay inside a
    /// log of <paramref name="logSize"/> bytes; false with the reason otherwise.
    /// </summary>
    public static bool TryLoad(string path, long baseOffset, long logSize, out OffsetIndex index, out string problem)
    {
        index = new OffsetIndex(baseOffset);
        return IndexFileFormat.TryRead(path, IndexFileFormat.OffsetIndexMagic, EntrySize, out var bytes, out problem)
            && TryParseEntries(bytes, baseOffset, logSize, out index, out problem);
    }

    /// <summary>Parses a whole <c>.index</c> file's bytes (as the remote tier stores it), with the checks of <see cref="TryLoad"/>.</summary>
    public static bool TryParse(byte[] file, long baseOffset, long logSize, out OffsetIndex index, out string problem)
    {
        index = new OffsetIndex(baseOffset);
        return IndexFileFormat.TryParse(file, IndexFileFormat.OffsetIndexMagic, EntrySize, out var bytes, out problem)
            && TryParseEntries(bytes, baseOffset, logSize, out index, out problem);
    }

    private static bool TryParseEntries(byte[] bytes, long baseOffset, long logSize, out OffsetIndex index, out string problem)
    {
        index = new OffsetIndex(baseOffset);
        problem = string.Empty;

        var entries = new List<Entry>(bytes.Length / EntrySize);
        for (var at = 0; at < bytes.Length; at += EntrySize)
        {
            var entry = new Entry(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at + 4)));
            var previous = entries.Count > 0 ? entries[^1] : new Entry(-1, -1);
            if (entry.RelativeOffset <= previous.RelativeOffset || entry.Position <= previous.Position || entry.Position >= logSize)
            {
                problem = $"entry {entries.Count} ({entry.RelativeOffset}, {entry.Position}) is out of order or past the log end";
                return false;
            }

            entries.Add(entry);
        }

        index = new OffsetIndex(baseOffset, entries);
        return true;
    }

    private protected override int RelativeOffsetOf(Entry entry) => entry.RelativeOffset;

    public readonly record struct Entry(int RelativeOffset, int Position);
}
