using Orlog.Errors;

namespace Orlog.Client;

internal sealed partial class Producer<TKey, TValue>
{
    /// <summary>The outcome of one ProduceAsync: the task and its handler in one object.</summary>
    private sealed class TaskDelivery(Message<TKey, TValue> message)
        : TaskCompletionSource<DeliveryResult<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously), IDeliveryHandler
    {
        public void OnDelivered(TopicPartition partition, long offset, Timestamp timestamp) => TrySetResult(new DeliveryResult<TKey, TValue>
        {
            Topic = partition.Topic,
            Partition = partition.Partition,
            Offset = offset,
            Timestamp = timestamp,
            Message = message,
        });

        public void OnFailed(TopicPartition partition, OrlogException error) =>
            TrySetException(new ProduceException<TKey, TValue>(error, Failed(partition.Topic, partition.Partition, message)));
    }

    /// <summary>The outcome of one Produce with a callback. A handler that throws crashes the process, as any unhandled callback does.</summary>
    private sealed class CallbackDelivery(Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? handler) : IDeliveryHandler
    {
        public void OnDelivered(TopicPartition partition, long offset, Timestamp timestamp) => handler?.Invoke(new DeliveryReport<TKey, TValue>
        {
            Topic = partition.Topic,
            Partition = partition.Partition,
            Offset = offset,
            Timestamp = timestamp,
            Message = message,
        });

        public void OnFailed(TopicPartition partition, OrlogException error) => handler?.Invoke(new DeliveryReport<TKey, TValue>
        {
            Topic = partition.Topic,
            Partition = partition.Partition,
            Offset = Offset.Unset,
            Timestamp = message.Timestamp,
            Message = message,
            Error = error,
        });
    }
}
