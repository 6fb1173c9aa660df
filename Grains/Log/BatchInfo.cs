namespace Orlog.Log;

/// <summary>The header fields of one stored batch that the engine works with, and where it lies in its segment.</summary>
public readonly record struct BatchInfo(
    long Position,
    int Size,
    long BaseOffset,
    long LastOffset,
    long MaxTimestamp,
    int PartitionLeaderEpoch)
{
    public long NextOffset => LastOffset + 1;

    public long EndPosition => Position + Size;
}
