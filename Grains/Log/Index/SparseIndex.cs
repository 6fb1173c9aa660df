namespace Orlog.Log.Index;

/// <summary>
/// What the two sparse indexes of a segment share: entries ordered by offset relative to the
/// segment's base offset, held in memory, cut from the end on truncation.
/// </summary>
/// <remarks>Not thread-safe: the owning log serializes access.</remarks>
public abstract class SparseIndex<TEntry>
    where TEntry : struct
{
    private protected SparseIndex(long baseOffset, List<TEntry> entries)
    {
        BaseOffset = baseOffset;
        Entries = entries;
    }

    public long BaseOffset { get; }

    public int Count => Entries.Count;

    private protected List<TEntry> Entries { get; }

    /// <summary>Drops the entries at or above <paramref name="offset"/>.</summary>
    public void TruncateTo(long offset)
    {
        var relative = offset - BaseOffset;
        var keep = Entries.Count;
        while (keep > 0 && RelativeOffsetOf(Entries[keep - 1]) >= relative)
        {
            keep--;
        }

        Entries.RemoveRange(keep, Entries.Count - keep);
    }

    private protected abstract int RelativeOffsetOf(TEntry entry);

    private protected int Relative(long offset) => checked((int)(offset - BaseOffset));
}
