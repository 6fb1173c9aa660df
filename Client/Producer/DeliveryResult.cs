namespace Orlog.Client;

/// <summary>Where a produced message landed: its topic, partition, offset and timestamp.</summary>
public class DeliveryResult<TKey, TValue>
{
    public required string Topic { get; init; }

    public required int Partition { get; init; }

    /// <summary>The record's offset; <see cref="Offset.Unset"/> when the broker reported none (acks = 0).</summary>
    public required Offset Offset { get; init; }

    /// <summary>The record's timestamp: the producer's (create time) or the broker's (log append time).</summary>
    public required Timestamp Timestamp { get; init; }

    public required Message<TKey, TValue> Message { get; init; }

    public TopicPartition TopicPartition => new(Topic, Partition);

    public TopicPartitionOffset TopicPartitionOffset => new(TopicPartition, Offset);

    public TKey Key => Message.Key;

    public TValue Value => Message.Value;
}
