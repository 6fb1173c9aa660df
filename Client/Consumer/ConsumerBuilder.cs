using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace Orlog.Client;

/// <summary>Builds an <see cref="IConsumer{TKey, TValue}"/> (Confluent.Kafka's <c>ConsumerBuilder</c>).</summary>
/// <example>
/// <code>
/// using var consumer = new ConsumerBuilder&lt;string, string&gt;(new ConsumerConfig()).Build();
/// consumer.Assign([new TopicPartitionOffset("orders", 0, Offset.Beginning)]);
/// var record = consumer.Consume(TimeSpan.FromSeconds(1));
/// </code>
/// </example>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The client is borrowed: the caller or the built consumer owns it.")]
public sealed class ConsumerBuilder<TKey, TValue>
{
    private readonly ConsumerConfig _config;
    private IDeserializer<TKey>? _keyDeserializer;
    private IDeserializer<TValue>? _valueDeserializer;
    private OrlogClient? _client;
    private TimeProvider _time = TimeProvider.System;

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

    /// <summary>Talk through a shared connection; the consumer does not dispose it.</summary>
    public ConsumerBuilder<TKey, TValue> SetClient(OrlogClient client)
    {
        _client = client;
        return this;
    }

    /// <summary>Co-hosted use: talk through the app's Orleans connection.</summary>
    public ConsumerBuilder<TKey, TValue> SetGrainFactory(IGrainFactory grainFactory)
    {
        _client = new OrlogClient(grainFactory);
        return this;
    }

    /// <summary>The clock for fetch backoff and timeouts; tests pass a fake one.</summary>
    public ConsumerBuilder<TKey, TValue> SetTimeProvider(TimeProvider time)
    {
        _time = time;
        return this;
    }

    /// <exception cref="Errors.OrlogException">INVALID_CONFIG.</exception>
    public IConsumer<TKey, TValue> Build()
    {
        _config.Validate();
        var keyDeserializer = _keyDeserializer ?? DefaultSerdes.Deserializer<TKey>(MessageComponentType.Key);
        var valueDeserializer = _valueDeserializer ?? DefaultSerdes.Deserializer<TValue>(MessageComponentType.Value);
        var owned = _client is null ? new OrlogClient(_config) : null;
        return new Consumer<TKey, TValue>(_config, keyDeserializer, valueDeserializer, new GrainFetchClient(_client ?? owned!), _time, owned);
    }
}
