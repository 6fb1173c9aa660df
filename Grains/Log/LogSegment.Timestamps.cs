using Orlog.Records;

namespace Orlog.Log;

/// <summary>Lookup by timestamp.</summary>
public sealed partial class LogSegment
{
    /// <summary>The largest timestamp in the segment, loading its indexes if needed; -1 when empty.</summary>
    public long GetLargestTimestamp()
    {
        EnsureIndexes();
        return MaxTimestamp;
    }

    /// <summary>
    /// Finds the first record at or after <paramref name="startingOffset"/> whose timestamp is at
    /// or above <paramref name="timestamp"/>: the time index narrows the scan to one interval,
    /// then the first batch whose max timestamp qualifies is decoded.
    /// </summary>
    public bool TryFindOffsetByTimestamp(long timestamp, long startingOffset, out TimestampOffset found)
    {
        found = default;
        EnsureIndexes();
        if (MaxTimestamp < timestamp)
        {
            return false;
        }

        var scanFrom = Math.Max(_timeIndex!.LookupScanStart(timestamp), startingOffset);
        if (!TryFindBatch(scanFrom, out var first))
        {
            return false;
        }

        using var scanner = BatchScanner.Start(_log, first.Position, Size, LookupChunkBytes(_indexIntervalBytes));
        while (scanner.TryNext(out var batch))
        {
            if (batch.MaxTimestamp < timestamp)
            {
                continue;
            }

            using var reader = new RecordBatchReader(scanner.CurrentBatch(batch));
            foreach (var record in reader)
            {
                if (record.Timestamp >= timestamp && record.Offset >= startingOffset)
                {
                    found = new TimestampOffset(record.Timestamp, record.Offset);
                    return true;
                }
            }
        }

        return false;
    }
}
