using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Who hears how one record's produce ended: the task of ProduceAsync or the callback of Produce.</summary>
/// <remarks>Called once, on a thread-pool thread, never under a producer lock.</remarks>
internal interface IDeliveryHandler
{
    void OnDelivered(TopicPartition partition, long offset, Timestamp timestamp);

    void OnFailed(TopicPartition partition, OrlogException error);
}

/// <summary>A record waiting in a batch: who to tell, and the timestamp it was written with.</summary>
internal readonly record struct PendingRecord(IDeliveryHandler Handler, long Timestamp);
