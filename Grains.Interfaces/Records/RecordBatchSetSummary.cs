namespace Orlog.Records;

/// <summary>What validation learned about a run of batches: enough to assign offsets without decoding records.</summary>
public struct RecordBatchSetSummary
{
    public int BatchCount { get; set; }

    /// <summary>Offsets the batches take: the sum of lastOffsetDelta + 1.</summary>
    public long RecordCount { get; set; }

    /// <summary>The largest maxTimestamp of the batches, or -1.</summary>
    public long MaxTimestamp { get; set; }

    public int SizeInBytes { get; set; }
}
