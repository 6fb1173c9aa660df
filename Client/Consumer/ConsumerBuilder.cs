namespace Orlog.Client;

/// <summary>Builds an <see cref="IConsumer{TKey, TValue}"/> (Confluent.Kafka's <c>ConsumerBuilder</c>).</summary>
/// <example>
/// <code>
/// using var consumer = new ConsumerBuilder&lt;string, string&gt;(new ConsumerConfig()).Build();
/// consumer.Assign([new TopicPartitionOffset("orders", 0, Offset.Beginning)]);
/// var record = consumer.Consume(TimeSpan.FromSeconds(1));
/// </code>
/// </example>
public sealed class ConsumerBuilder<TKey, TValue> : ClientBuilder<ConsumerBuilder<TKey, TValue>>
{
    private readonly ConsumerConfig _config;
    private IDeserializer<TKey>? _keyDeserializer;
    private IDeserializer<TValue>? _valueDeserializer;
    private Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>>? _assigned;
    private Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>>? _revoked;
    private Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>>? _lost;
    private Action<IConsumer<TKey, TValue>, Errors.OrlogException>? _error;

    public ConsumerBuilder(ConsumerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>Needed unless <typeparamref name="TKey"/> is string, byte[], Null, Ignore, int or long.</summary>
    public ConsumerBuilder<TKey, TValue> SetKeyDeserializer(IDeserializer<TKey> deserializer)
    {
        _keyDeserializer = deserializer;
        return this;
    }

    /// <summary>Needed unless <typeparamref name="TValue"/> is string, byte[], Null, Ignore, int or long.</summary>
    public ConsumerBuilder<TKey, TValue> SetValueDeserializer(IDeserializer<TValue> deserializer)
    {
        _valueDeserializer = deserializer;
        return this;
    }

    /// <summary>Runs inside Consume when the group assigns partitions, after their start positions are set (a Seek here moves them).</summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsAssignedHandler(Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>> handler)
    {
        _assigned = handler;
        return this;
    }

    /// <summary>Runs inside Consume before partitions move to another member, with their positions (already committed under auto-commit).</summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsRevokedHandler(Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>> handler)
    {
        _revoked = handler;
        return this;
    }

    /// <summary>Runs inside Consume when the group dropped the consumer (session timeout, max.poll.interval.ms): the partitions may already be read by others, so nothing is committed.</summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsLostHandler(Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>> handler)
    {
        _lost = handler;
        return this;
    }

    /// <summary>Gets errors that do not stop consuming: a failed auto-commit, or a commit before a revocation.</summary>
    public ConsumerBuilder<TKey, TValue> SetErrorHandler(Action<IConsumer<TKey, TValue>, Errors.OrlogException> handler)
    {
        _error = handler;
        return this;
    }

    /// <exception cref="Errors.OrlogException">INVALID_CONFIG.</exception>
    public IConsumer<TKey, TValue> Build()
    {
        _config.Validate();
        var keyDeserializer = _keyDeserializer ?? DefaultSerdes.Deserializer<TKey>(MessageComponentType.Key);
        var valueDeserializer = _valueDeserializer ?? DefaultSerdes.Deserializer<TValue>(MessageComponentType.Value);
        var owned = Client is null ? new OrlogClient(_config) : null;
        var client = Client ?? owned!;
        var handlers = new ConsumerHandlers<TKey, TValue>(_assigned, _revoked, _lost, _error);
        return new Consumer<TKey, TValue>(_config, keyDeserializer, valueDeserializer, new GrainFetchClient(client), new GrainGroupClient(client), handlers, Time, owned);
    }
}
