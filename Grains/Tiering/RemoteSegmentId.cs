namespace Orlog.Tiering;

/// <summary>A segment in the remote tier: its partition and base offset.</summary>
public readonly record struct RemoteSegmentId(TopicPartition Partition, long BaseOffset)
{
    public override string ToString() => $"{Partition}/{BaseOffset:D20}";
}
