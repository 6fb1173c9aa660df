using Orlog.Errors;

namespace Orlog.Client;

/// <summary>The callbacks a consumer runs on its own thread, inside Consume (as Confluent.Kafka's handlers).</summary>
internal sealed record ConsumerHandlers<TKey, TValue>(
    Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>>? Assigned,
    Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>>? Revoked,
    Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>>? Lost,
    Action<IConsumer<TKey, TValue>, OrlogException>? Error);
