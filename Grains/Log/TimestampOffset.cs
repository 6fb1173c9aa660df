namespace Orlog.Log;

/// <summary>A record found by timestamp: its offset and its timestamp.</summary>
public readonly record struct TimestampOffset(long Timestamp, long Offset);
