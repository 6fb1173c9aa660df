namespace Orlog.Client;

/// <summary>
/// Reads records (Confluent.Kafka's <c>IConsumer</c>): from partitions assigned by hand, or as a
/// member of a consumer group (<see cref="Subscribe(IEnumerable{string})"/>) that shares a topic's
/// partitions among its members and remembers committed offsets. Not thread-safe: call it from
/// one thread, as with Kafka's consumer. Each assigned partition is fetched in the background,
/// ahead of the app, so that processing and fetching overlap. Rebalance callbacks run on the
/// calling thread, inside Consume.
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

    /// <summary>The topics of the group subscription (empty without one).</summary>
    IReadOnlyList<string> Subscription { get; }

    /// <summary>
    /// Joins the consumer's group (<see cref="ConsumerConfig.GroupId"/>) for these topics, or changes the
    /// subscription. Partitions arrive (and leave) inside Consume, with the assigned / revoked / lost
    /// callbacks of the builder.
    /// </summary>
    /// <exception cref="InvalidOperationException">The consumer has a manual assignment.</exception>
    /// <exception cref="Errors.OrlogException">INVALID_CONFIG (no group id), INVALID_TOPIC.</exception>
    void Subscribe(IEnumerable<string> topics);

    /// <inheritdoc cref="Subscribe(IEnumerable{string})"/>
    void Subscribe(string topic);

    /// <summary>Revokes every partition (auto-commit first) and leaves the group.</summary>
    void Unsubscribe();

    /// <summary>Commits the position of every assigned partition and returns what it committed.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION (no longer a member in that generation), REBALANCE_IN_PROGRESS (joining), REQUEST_TIMED_OUT.</exception>
    IReadOnlyList<TopicPartitionOffset> Commit();

    /// <summary>Commits these offsets (each the next offset to read).</summary>
    /// <exception cref="Errors.OrlogException">As <see cref="Commit()"/>.</exception>
    void Commit(IEnumerable<TopicPartitionOffset> offsets);

    /// <summary>Commits the offset after <paramref name="result"/>.</summary>
    void Commit(ConsumeResult<TKey, TValue> result);

    /// <summary>Commits these offsets; the task completes when they are durable.</summary>
    Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets);

    /// <summary>Commits the offset after <paramref name="result"/>; the task completes when it is durable.</summary>
    Task CommitAsync(ConsumeResult<TKey, TValue> result);

    /// <summary>The group's committed offsets of these partitions (<see cref="Offset.Unset"/> where there is none).</summary>
    IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout);

    /// <summary>Stops handing out records of these partitions (they stay assigned, positions kept).</summary>
    void Pause(IEnumerable<TopicPartition> partitions);

    /// <summary>Hands out records of paused partitions again.</summary>
    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>The paused partitions.</summary>
    IReadOnlyList<TopicPartition> Paused { get; }

    /// <summary>
    /// Auto-commits, runs the revoked callback and leaves the group at once (a static member keeps
    /// its partitions until its session times out), then stops fetching; the consumer cannot be used after.
    /// </summary>
    void Close();
}
