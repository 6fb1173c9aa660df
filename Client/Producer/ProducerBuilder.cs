namespace Orlog.Client;

/// <summary>Builds an <see cref="IProducer{TKey, TValue}"/> (Confluent.Kafka's <c>ProducerBuilder</c>).</summary>
/// <example>
/// <code>
/// using var producer = new ProducerBuilder&lt;string, string&gt;(new ProducerConfig { LingerMs = 10 }).Build();
/// var result = await producer.ProduceAsync("orders", new Message&lt;string, string&gt; { Key = "k", Value = "v" });
/// </code>
/// </example>
public sealed class ProducerBuilder<TKey, TValue> : ClientBuilder<ProducerBuilder<TKey, TValue>>
{
    private readonly ProducerConfig _config;
    private ISerializer<TKey>? _keySerializer;
    private ISerializer<TValue>? _valueSerializer;

    public ProducerBuilder(ProducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>Needed unless <typeparamref name="TKey"/> is string, byte[], Null, int or long.</summary>
    public ProducerBuilder<TKey, TValue> SetKeySerializer(ISerializer<TKey> serializer)
    {
        _keySerializer = serializer;
        return this;
    }

    /// <summary>Needed unless <typeparamref name="TValue"/> is string, byte[], Null, int or long.</summary>
    public ProducerBuilder<TKey, TValue> SetValueSerializer(ISerializer<TValue> serializer)
    {
        _valueSerializer = serializer;
        return this;
    }

    /// <summary>Without a client or grain factory, the producer makes its own connection from the config, lazily.</summary>
    /// <exception cref="Errors.OrlogException">INVALID_CONFIG.</exception>
    public IProducer<TKey, TValue> Build()
    {
        _config.Validate();
        var keySerializer = _keySerializer ?? DefaultSerdes.Serializer<TKey>(MessageComponentType.Key);
        var valueSerializer = _valueSerializer ?? DefaultSerdes.Serializer<TValue>(MessageComponentType.Value);
        var owned = Client is null ? new OrlogClient(_config) : null;
        var client = Client ?? owned!;
        return new Producer<TKey, TValue>(
            _config,
            keySerializer,
            valueSerializer,
            new GrainBatchSender(client),
            new TopicMetadataCache(client),
            Time,
            ownedClient: owned);
    }
}
