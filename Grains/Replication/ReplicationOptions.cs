namespace Orlog.Replication;

/// <summary>How a broker replicates the partitions it leads (Kafka's broker configs of the same meaning).</summary>
public sealed class ReplicationOptions
{
    /// <summary><c>replica.lag.time.max.ms</c>: a follower not caught up with the leader's log end for this long leaves the ISR.</summary>
    public int ReplicaLagTimeMaxMs { get; set; } = 30_000;

    /// <summary><c>replica.fetch.max.bytes</c>: the most one push to a follower carries (at least one batch, however large).</summary>
    public int MaxPushBytes { get; set; } = 1024 * 1024;

    /// <summary>The wait before a leader tries again to reach a follower that failed (doubling up to 1 s).</summary>
    public int RetryBackoffMs { get; set; } = 50;

    public TimeSpan ReplicaLagTimeMax => TimeSpan.FromMilliseconds(ReplicaLagTimeMaxMs);

    public TimeSpan RetryBackoff => TimeSpan.FromMilliseconds(RetryBackoffMs);

    public void Validate()
    {
        if (ReplicaLagTimeMaxMs <= 0 || MaxPushBytes <= 0 || RetryBackoffMs <= 0)
        {
            throw new ArgumentException("Replication options need a positive ReplicaLagTimeMaxMs, MaxPushBytes and RetryBackoffMs.");
        }
    }
}
