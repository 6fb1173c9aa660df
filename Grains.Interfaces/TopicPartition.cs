using Orleans;

namespace Orlog;

/// <summary>A partition of a topic: the unit of ordering, storage and leadership.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.topic-partition")]
public readonly record struct TopicPartition([property: Id(0)] string Topic, [property: Id(1)] int Partition) : IComparable<TopicPartition>
{
    /// <summary>Orders by topic (ordinal), then partition: the order of assignments, descriptions and listings.</summary>
    public int CompareTo(TopicPartition other)
    {
        var byTopic = string.CompareOrdinal(Topic, other.Topic);
        return byTopic != 0 ? byTopic : Partition.CompareTo(other.Partition);
    }

    public static bool operator <(TopicPartition left, TopicPartition right) => left.CompareTo(right) < 0;

    public static bool operator <=(TopicPartition left, TopicPartition right) => left.CompareTo(right) <= 0;

    public static bool operator >(TopicPartition left, TopicPartition right) => left.CompareTo(right) > 0;

    public static bool operator >=(TopicPartition left, TopicPartition right) => left.CompareTo(right) >= 0;

    /// <summary>Kafka's spelling, also the partition's directory name: <c>orders-3</c>.</summary>
    public override string ToString() => $"{Topic}-{Partition}";
}
