namespace Orlog.Client;

/// <summary>One record handed out by <see cref="IConsumer{TKey, TValue}.Consume(TimeSpan)"/>.</summary>
public sealed class ConsumeResult<TKey, TValue>
{
    public required string Topic { get; init; }

    public required int Partition { get; init; }

    public required Offset Offset { get; init; }

    /// <summary>Key, value, timestamp and headers (null when the record has none).</summary>
    public required Message<TKey, TValue> Message { get; init; }

    public TopicPartition TopicPartition => new(Topic, Partition);

    public TopicPartitionOffset TopicPartitionOffset => new(TopicPartition, Offset);
}
