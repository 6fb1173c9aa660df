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

    /// <exception cref="Errors.OrlogException">INVALID_CONFIG.</exception>
    public IConsumer<TKey, TValue> Build()
    {
        _config.Validate();
        var keyDeserializer = _keyDeserializer ?? DefaultSerdes.Deserializer<TKey>(MessageComponentType.Key);
        var valueDeserializer = _valueDeserializer ?? DefaultSerdes.Deserializer<TValue>(MessageComponentType.Value);
        var owned = Client is null ? new OrlogClient(_config) : null;
        return new Consumer<TKey, TValue>(_config, keyDeserializer, valueDeserializer, new GrainFetchClient(Client ?? owned!), Time, owned);
    }
}
