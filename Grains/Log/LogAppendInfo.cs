namespace Orlog.Log;

/// <summary>What an append did: the offsets it assigned and the broker time it was stored at.</summary>
/// <param name="AppendTime">Broker wall-clock time (ms since the Unix epoch) of the append.</param>
/// <param name="RecordBatchCount">The batches written: none for an idempotent producer's retry of batches already stored.</param>
/// <param name="BatchOffsets">
/// Each batch's base offset when they are not consecutive from <paramref name="FirstOffset"/>: a retry whose first batches were
/// stored before (maybe with other records after them) and the rest now; null otherwise.
/// </param>
public readonly record struct LogAppendInfo(long FirstOffset, long LastOffset, long AppendTime, long LogStartOffset, int RecordBatchCount, long[]? BatchOffsets = null)
{
    /// <summary>The batches were an idempotent producer's retry of batches already stored: nothing was written, the offsets are theirs.</summary>
    public bool Duplicate => RecordBatchCount == 0;
}
