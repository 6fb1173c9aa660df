using Orleans;

namespace Orlog;

/// <summary>A partition of a topic: the unit of ordering, storage and leadership.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.topic-partition")]
public readonly record struct TopicPartition([property: Id(0)] string Topic, [property: Id(1)] int Partition)
{
    /// <summary>Kafka's spelling, also the partition's directory name: <c>orders-3</c>.</summary>
    public override string ToString() => $"{Topic}-{Partition}";
}
