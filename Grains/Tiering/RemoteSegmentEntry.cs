namespace Orlog.Tiering;

/// <summary>One segment in a partition's remote manifest.</summary>
/// <param name="LastOffset">The last offset the segment holds.</param>
/// <param name="MaxTimestamp">The newest record timestamp in it (ms).</param>
/// <param name="SizeInBytes">The size of its <c>.log</c> file.</param>
/// <param name="LeaderEpoch">The leader epoch of its last batch.</param>
public sealed record RemoteSegmentEntry(long BaseOffset, long LastOffset, long MaxTimestamp, long SizeInBytes, int LeaderEpoch, RemoteSegmentState State);
