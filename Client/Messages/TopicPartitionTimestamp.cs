namespace Orlog.Client;

/// <summary>A partition and a timestamp, for <see cref="IConsumer{TKey, TValue}.OffsetsForTimes"/>.</summary>
public readonly record struct TopicPartitionTimestamp(TopicPartition TopicPartition, Timestamp Timestamp)
{
    public string Topic => TopicPartition.Topic;

    public int Partition => TopicPartition.Partition;
}
