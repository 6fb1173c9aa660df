using Orlog.Partitions;

namespace Orlog.Client;

/// <summary>The calls the record accumulator makes: send batches to a partition's leader, get a producer id.</summary>
/// <remarks>A seam so that batching, backpressure and retries can be tested without a cluster.</remarks>
internal interface IBatchSender
{
    /// <param name="batches">
    /// One or more v2 batches back to back, which the caller never reads again: the broker stamps
    /// offsets into them in place (a co-hosted broker into this very buffer, which it may also release).
    /// </param>
    /// <exception cref="Errors.OrlogException">What the broker raised, or REQUEST_TIMED_OUT / LEADER_NOT_AVAILABLE for transport failures.</exception>
    Task<ProduceResult> ProduceAsync(TopicPartition partition, ProduceBatches batches, Acks acks);

    /// <summary>A producer id no other producer has, for an idempotent producer.</summary>
    /// <exception cref="Errors.OrlogException">REQUEST_TIMED_OUT / LEADER_NOT_AVAILABLE when the cluster cannot be reached.</exception>
    Task<long> InitProducerIdAsync();
}
