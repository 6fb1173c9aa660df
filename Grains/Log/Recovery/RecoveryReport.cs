namespace Orlog.Log.Recovery;

/// <summary>What opening a log found and repaired; the log manager reports it to operators.</summary>
/// <param name="CleanShutdown">The log was closed cleanly; nothing past its saved state was scanned.</param>
/// <param name="Scanned">Every segment whose batches were checked one by one.</param>
/// <param name="SegmentsDeleted">Whole segments after a corrupt one, removed because nothing after a hole can be trusted.</param>
/// <param name="BytesTruncated">Bytes cut off: torn or corrupt tails and the deleted segments.</param>
/// <param name="IndexesRebuilt">Segments whose index files were missing or damaged and were rebuilt from the log.</param>
public sealed record RecoveryReport(
    bool CleanShutdown,
    IReadOnlyList<SegmentRecovery> Scanned,
    int SegmentsDeleted,
    long BytesTruncated,
    int IndexesRebuilt,
    long LogStartOffset,
    long LogEndOffset)
{
    public bool LostData => BytesTruncated > 0 || SegmentsDeleted > 0;

    /// <summary>One line for the log: what was dropped and why.</summary>
    public string Describe()
    {
        var cut = Scanned.FirstOrDefault(s => s.TruncatedBytes > 0);
        return cut == default
            ? $"no damage; {Scanned.Count} segment(s) scanned, {IndexesRebuilt} index(es) rebuilt"
            : $"truncated {BytesTruncated} bytes from segment {cut.BaseOffset} at position {cut.ValidBytes} ({cut.Stop}: {cut.Reason}); {SegmentsDeleted} later segment(s) deleted; {IndexesRebuilt} index(es) rebuilt";
    }
}
