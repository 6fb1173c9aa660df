namespace Orlog;

/// <summary>A partition of a topic: the unit of ordering, storage and leadership.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    /// <summary>Kafka's spelling, also the partition's directory name: <c>orders-3</c>.</summary>
    public override string ToString() => $"{Topic}-{Partition}";
}
