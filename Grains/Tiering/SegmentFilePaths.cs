namespace Orlog.Tiering;

/// <summary>The local files of a closed segment, to copy to the remote tier.</summary>
public sealed record SegmentFilePaths(string Log, string OffsetIndex, string TimeIndex);
