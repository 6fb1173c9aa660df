namespace Orlog.Log;

/// <summary>What scanning one segment found: how much of it was whole, and what was cut off.</summary>
public readonly record struct SegmentRecovery(long BaseOffset, int ValidBatches, long ValidBytes, long TruncatedBytes, ScanStop Stop, string Reason);
