namespace Orlog.Client;

/// <summary>The batches of one partition waiting to be sent, oldest first, and its requests in flight.</summary>
/// <remarks>Every member is guarded by <see cref="Lock"/>.</remarks>
internal sealed class PartitionQueue(TopicPartition topicPartition, RecordAccumulator owner)
{
    public RecordAccumulator Owner => owner;

    public Lock Lock { get; } = new();

    public TopicPartition TopicPartition => topicPartition;

    /// <summary>Batches not yet sent (or sent and waiting to be retried), in send order.</summary>
    public LinkedList<ProducerBatch> Batches { get; } = new();

    /// <summary>The batch new records go to: the last of <see cref="Batches"/> while it has room.</summary>
    public ProducerBatch? Open { get; set; }

    public int InFlight { get; set; }

    /// <summary>An idempotent producer's epoch for this partition: raised when a numbered batch fails for good, restarting the numbers.</summary>
    public short ProducerEpoch { get; set; }

    /// <summary>The sequence number the next batch of an idempotent producer gets.</summary>
    public int NextSequence { get; set; }
}
