using Orlog.Errors;

namespace Orlog.Client;

/// <summary>
/// The producer: serializes, partitions and hands records to the <see cref="RecordAccumulator"/>,
/// which batches and sends them; see <see cref="IProducer{TKey, TValue}"/>.
/// </summary>
internal sealed partial class Producer<TKey, TValue> : IProducer<TKey, TValue>
{
    private readonly ProducerConfig _config;
    private readonly ISerializer<TKey> _keySerializer;
    private readonly ISerializer<TValue> _valueSerializer;
    private readonly ITopicMetadata _metadata;
    private readonly RecordPartitioner _partitioner;
    private readonly RecordAccumulator _accumulator;
    private readonly TimeProvider _time;
    private readonly OrlogClient? _ownedClient;
    private int _disposed;

    public Producer(
        ProducerConfig config,
        ISerializer<TKey> keySerializer,
        ISerializer<TValue> valueSerializer,
        IBatchSender sender,
        ITopicMetadata metadata,
        TimeProvider time,
        Random? random = null,
        OrlogClient? ownedClient = null)
    {
        config.Validate();
        _config = config;
        _keySerializer = keySerializer;
        _valueSerializer = valueSerializer;
        _metadata = metadata;
        _time = time;
        _ownedClient = ownedClient;
        _partitioner = new RecordPartitioner(config.Partitioner, random);
        _accumulator = new RecordAccumulator(config, sender, time, random)
        {
            BatchSent = OnBatchSent,
            BatchFailed = OnBatchFailed,
        };
    }

    public int PendingCount => _accumulator.PendingRecordCount;

    internal RecordAccumulator Accumulator => _accumulator;

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(topic, -1, message, cancellationToken);

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(topicPartition.Topic, topicPartition.Partition < 0 ? throw new ArgumentOutOfRangeException(nameof(topicPartition)) : topicPartition.Partition, message, cancellationToken);

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        Produce(topic, -1, message, deliveryHandler);

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        Produce(topicPartition.Topic, topicPartition.Partition < 0 ? throw new ArgumentOutOfRangeException(nameof(topicPartition)) : topicPartition.Partition, message, deliveryHandler);

    private Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, int partition, Message<TKey, TValue> message, CancellationToken cancellationToken)
    {
        var delivery = new TaskDelivery(message);
        ValueTask queued;
        try
        {
            queued = EnqueueInOrder(topic, partition, message, delivery, cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<DeliveryResult<TKey, TValue>>(Wrap(e, topic, partition, message));
        }

        return queued.IsCompletedSuccessfully ? delivery.Task : AwaitQueuedAsync(queued, delivery, topic, partition, message);
    }

    private static async Task<DeliveryResult<TKey, TValue>> AwaitQueuedAsync(ValueTask queued, TaskDelivery delivery, string topic, int partition, Message<TKey, TValue> message)
    {
        try
        {
            await queued.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Wrap(e, topic, partition, message);
        }

        return await delivery.Task.ConfigureAwait(false);
    }

    private void Produce(string topic, int partition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler)
    {
        try
        {
            var queued = EnqueueInOrder(topic, partition, message, new CallbackDelivery(message, deliveryHandler), CancellationToken.None);
            if (!queued.IsCompletedSuccessfully)
            {
                // As Kafka's send(): block while waiting for buffer space or metadata, up to max.block.ms.
                queued.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e)
        {
            throw Wrap(e, topic, partition, message);
        }
    }

    /// <summary>Serializes the message, picks its partition and appends it; the fast path completes synchronously.</summary>
    private ValueTask EnqueueAsync(string topic, int partition, Message<TKey, TValue> message, IDeliveryHandler handler, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        var timestamp = message.Timestamp.UnixTimestampMs >= 0 ? message.Timestamp.UnixTimestampMs : _time.GetUtcNow().ToUnixTimeMilliseconds();
        byte[]? key;
        byte[]? value;
        try
        {
            key = _keySerializer.Serialize(message.Key, new SerializationContext(MessageComponentType.Key, topic, message.Headers));
            value = _valueSerializer.Serialize(message.Value, new SerializationContext(MessageComponentType.Value, topic, message.Headers));
        }
        catch (Exception e) when (e is not OrlogException)
        {
            throw new OrlogException(ErrorCode.InvalidRecord, $"The message could not be serialized: {e.Message}", e);
        }

        var partitions = _metadata.GetPartitionCountAsync(topic, cancellationToken);
        if (!partitions.IsCompletedSuccessfully)
        {
            return EnqueueAfterMetadataAsync(partitions, topic, partition, timestamp, key, value, message, handler, cancellationToken);
        }

        return Append(topic, partition, partitions.Result, timestamp, key, value, message, handler, cancellationToken);
    }

    private async ValueTask EnqueueAfterMetadataAsync(
        ValueTask<int> pending,
        string topic,
        int partition,
        long timestamp,
        byte[]? key,
        byte[]? value,
        Message<TKey, TValue> message,
        IDeliveryHandler handler,
        CancellationToken cancellationToken)
    {
        int partitions;
        try
        {
            partitions = await pending.AsTask().WaitAsync(TimeSpan.FromMilliseconds(_config.MaxBlockMs), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new OrlogException(
                ErrorCode.RequestTimedOut,
                $"The partitions of topic '{topic}' were not known within {_config.MaxBlockMs} ms (MaxBlockMs); check that the cluster is reachable.",
                e);
        }

        await Append(topic, partition, partitions, timestamp, key, value, message, handler, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask Append(
        string topic,
        int partition,
        int partitions,
        long timestamp,
        byte[]? key,
        byte[]? value,
        Message<TKey, TValue> message,
        IDeliveryHandler handler,
        CancellationToken cancellationToken)
    {
        if (partition < 0)
        {
            partition = _partitioner.Partition(topic, key, partitions);
        }
        else if (partition >= partitions)
        {
            throw new OrlogException(
                ErrorCode.UnknownTopicOrPartition,
                $"Topic '{topic}' has {partitions} partitions (0 to {partitions - 1}); there is no partition {partition}.");
        }

        return _accumulator.AppendAsync(new TopicPartition(topic, partition), timestamp, key, value, message.Headers, handler, cancellationToken);
    }

    private void OnBatchSent(TopicPartition partition)
    {
        if (_metadata.TryGetPartitionCount(partition.Topic, out var partitions))
        {
            _partitioner.OnBatchSent(partition.Topic, partition.Partition, partitions);
        }
    }

    private void OnBatchFailed(TopicPartition partition, OrlogException error)
    {
        if (error.Code == ErrorCode.UnknownTopicOrPartition)
        {
            _metadata.Invalidate(partition.Topic);
        }
    }

    private static Exception Wrap(Exception error, string topic, int partition, Message<TKey, TValue> message) => error switch
    {
        OperationCanceledException or ObjectDisposedException or ArgumentException or ProduceException<TKey, TValue> => error,
        _ => new ProduceException<TKey, TValue>(
            error as OrlogException ?? new OrlogException(ErrorCode.UnknownServerError, error.Message, error),
            Failed(topic, partition, message)),
    };

    private static DeliveryResult<TKey, TValue> Failed(string topic, int partition, Message<TKey, TValue> message) => new()
    {
        Topic = topic,
        Partition = partition,
        Offset = Offset.Unset,
        Timestamp = message.Timestamp,
        Message = message,
    };

    public int Flush(TimeSpan timeout)
    {
        // A flush never faults: failed records are reported to their handlers. The count says what is left.
        _ = _accumulator.FlushAsync(CancellationToken.None).Wait(timeout);
        return PendingCount;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => _accumulator.FlushAsync(cancellationToken);

    /// <summary>Stops taking messages and waits (up to DeliveryTimeoutMs) until the queued ones are reported.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _accumulator.Close();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_config.DeliveryTimeoutMs), _time))
        {
            try
            {
                await _accumulator.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // Every record is reported within the delivery timeout anyway; stop waiting.
            }
        }

        if (_ownedClient is not null)
        {
            await _ownedClient.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
