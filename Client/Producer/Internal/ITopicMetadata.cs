namespace Orlog.Client;

/// <summary>The partition count of topics, as the producer needs it to place records.</summary>
internal interface ITopicMetadata
{
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION when the topic does not exist.</exception>
    ValueTask<int> GetPartitionCountAsync(string topic, CancellationToken cancellationToken);

    /// <summary>The cached count, if any, without a call.</summary>
    bool TryGetPartitionCount(string topic, out int partitions);

    /// <summary>Forgets the topic, so the next lookup asks the cluster again.</summary>
    void Invalidate(string topic);
}
