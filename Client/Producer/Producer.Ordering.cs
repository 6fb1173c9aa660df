namespace Orlog.Client;

/// <summary>Keeping records in the order they were produced while some wait (for metadata or buffer space).</summary>
internal sealed partial class Producer<TKey, TValue>
{
    private readonly Lock _enqueueGate = new();

    /// <summary>The last enqueue that had to wait; later ones queue behind it. Completed when none waits.</summary>
    private Task _pendingEnqueue = Task.CompletedTask;

    /// <summary>
    /// Enqueues in call order. The fast path (metadata known, buffer space free) appends at once;
    /// once an enqueue has to wait, every later one waits behind it, so a record never overtakes
    /// one produced before it, as a Kafka producer's send() keeps them in order by blocking.
    /// </summary>
    private ValueTask EnqueueInOrder(string topic, int partition, Message<TKey, TValue> message, IDeliveryHandler handler, CancellationToken cancellationToken)
    {
        lock (_enqueueGate)
        {
            if (_pendingEnqueue.IsCompleted)
            {
                var queued = EnqueueAsync(topic, partition, message, handler, cancellationToken);
                if (!queued.IsCompleted)
                {
                    _pendingEnqueue = queued.AsTask();
                    return new ValueTask(_pendingEnqueue);
                }

                return queued;
            }

            _pendingEnqueue = EnqueueAfterAsync(_pendingEnqueue, topic, partition, message, handler, cancellationToken);
            return new ValueTask(_pendingEnqueue);
        }
    }

    private async Task EnqueueAfterAsync(Task previous, string topic, int partition, Message<TKey, TValue> message, IDeliveryHandler handler, CancellationToken cancellationToken)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The earlier record reports its own failure; this one still goes in its turn.
        }

        await EnqueueAsync(topic, partition, message, handler, cancellationToken).ConfigureAwait(false);
    }
}
