namespace Orlog.Client;

/// <summary>
/// Publishes messages to topics, batching them per partition (Confluent.Kafka's <c>IProducer</c>).
/// Thread-safe: share one producer across the app.
/// </summary>
public interface IProducer<TKey, TValue> : IDisposable, IAsyncDisposable
{
    /// <summary>
    /// Queues the message for its partition (by the partitioner) and completes when the broker
    /// acknowledged it per <see cref="ProducerConfig.Acks"/>. Waits up to
    /// <see cref="ProducerConfig.MaxBlockMs"/> for buffer space or topic metadata.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">On the task: the message was not delivered; the code says why.</exception>
    Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ProduceAsync(string, Message{TKey, TValue}, CancellationToken)"/>, to an explicit partition.</summary>
    Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues the message and returns; <paramref name="deliveryHandler"/> is called (on a thread-pool
    /// thread) with the outcome. Blocks up to <see cref="ProducerConfig.MaxBlockMs"/> while the buffer is full.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">The message could not be queued (serialization, size, buffer full, unknown topic).</exception>
    void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <inheritdoc cref="Produce(string, Message{TKey, TValue}, Action{DeliveryReport{TKey, TValue}})"/>
    void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <summary>Sends every queued message now and waits until all are reported, or <paramref name="timeout"/> passed.</summary>
    /// <returns>The number of messages still not reported (0 when all were).</returns>
    int Flush(TimeSpan timeout);

    /// <summary>Sends every queued message now and waits until all are reported.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Messages queued or in flight, not yet reported.</summary>
    int PendingCount { get; }
}
