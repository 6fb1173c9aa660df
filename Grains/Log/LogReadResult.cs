namespace Orlog.Log;

/// <summary>
/// Whole record batches read from a log (possibly none, at the log end) and the log's bounds at
/// the time of the read.
/// </summary>
/// <param name="Records">Batches back to back, in a buffer the caller owns.</param>
public readonly record struct LogReadResult(ReadOnlyMemory<byte> Records, long LogStartOffset, long LogEndOffset);
