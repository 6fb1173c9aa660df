namespace Orlog.Client;

/// <summary>A partition and an offset in it (possibly <see cref="Offset.Beginning"/> or <see cref="Offset.End"/>).</summary>
public readonly record struct TopicPartitionOffset(TopicPartition TopicPartition, Offset Offset)
{
    public TopicPartitionOffset(string topic, int partition, Offset offset)
        : this(new TopicPartition(topic, partition), offset)
    {
    }

    public string Topic => TopicPartition.Topic;

    public int Partition => TopicPartition.Partition;

    public override string ToString() => $"{TopicPartition} @{Offset}";
}
