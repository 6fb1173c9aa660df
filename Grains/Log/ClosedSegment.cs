namespace Orlog.Log;

/// <summary>A closed segment as the tiering service copies it: its range, size, newest timestamp, leader epoch and files.</summary>
public sealed record ClosedSegment(
    long BaseOffset,
    long LastOffset,
    long MaxTimestamp,
    long SizeInBytes,
    int LeaderEpoch,
    string LogPath,
    string OffsetIndexPath,
    string TimeIndexPath);
