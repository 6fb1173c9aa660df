namespace Orlog.Client;

/// <summary>
/// Reads records from assigned partitions (Confluent.Kafka's <c>IConsumer</c>, manual assignment).
/// Not thread-safe: call it from one thread, as with Kafka's consumer. Each assigned partition is
/// fetched in the background, ahead of the app, so that processing and fetching overlap.
/// </summary>
public interface IConsumer<TKey, TValue> : IDisposable
{
    /// <summary>The partitions currently assigned.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>
    /// Replaces the assignment: consumes these partitions from these offsets (an offset may be
    /// <see cref="Offset.Beginning"/> or <see cref="Offset.End"/>).
    /// </summary>
    void Assign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>Assigns one partition, keeping the others.</summary>
    void IncrementalAssign(TopicPartitionOffset partition);

    /// <summary>Drops every partition.</summary>
    void Unassign();

    /// <summary>Moves an assigned partition to <paramref name="position"/>; records prefetched from the old position are dropped.</summary>
    void Seek(TopicPartitionOffset position);

    /// <summary>The offset of the next record <see cref="Consume(TimeSpan)"/> will return for the partition; <see cref="Offset.Unset"/> while not known yet.</summary>
    Offset Position(TopicPartition partition);

    /// <summary>The next record of any assigned partition (round-robin across partitions), or null when none arrived within <paramref name="timeout"/>.</summary>
    /// <exception cref="ConsumeException">A partition failed (see <see cref="ConsumeException"/>).</exception>
    ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout);

    /// <summary>The next record, waiting as long as it takes.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ConsumeException">A partition failed.</exception>
    ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default);

    /// <summary>For each partition, the earliest offset whose timestamp is at or after the given one, or <see cref="Offset.End"/> when there is none.</summary>
    IReadOnlyList<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestamps, TimeSpan timeout);

    /// <summary>The partition's log start and high watermark, asked of the broker.</summary>
    WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout);

    /// <summary>Stops fetching and drops the assignment; the consumer cannot be used after.</summary>
    void Close();
}
