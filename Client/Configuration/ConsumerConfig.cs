namespace Orlog.Client;

/// <summary>Consumer settings, named and defaulted as Kafka's consumer configs (docs/CLIENT.md).</summary>
public sealed class ConsumerConfig : ClientConfig
{
    public const int DefaultFetchMinBytes = 1;
    public const int DefaultFetchMaxBytes = 50 * 1024 * 1024;
    public const int DefaultMaxPartitionFetchBytes = 1024 * 1024;
    public const int DefaultFetchMaxWaitMs = 500;
    public const int DefaultRetryBackoffMs = 100;
    public const int DefaultRetryBackoffMaxMs = 1000;
    public const int DefaultSessionTimeoutMs = 45_000;
    public const int DefaultHeartbeatIntervalMs = 3_000;
    public const int DefaultMaxPollIntervalMs = 300_000;
    public const int DefaultAutoCommitIntervalMs = 5_000;

    /// <summary><c>group.id</c>: the consumer group; needed for <c>Subscribe</c> and for committing offsets.</summary>
    public string? GroupId { get; set; }

    /// <summary><c>group.instance.id</c>: makes the consumer a static member (KIP-345): when it restarts within the session timeout it gets its partitions back without a rebalance.</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary><c>client.id</c>: names the consumer in group descriptions and member ids.</summary>
    public string ClientId { get; set; } = "orlog-consumer";

    /// <summary><c>partition.assignment.strategy</c>. Default cooperative-sticky.</summary>
    public PartitionAssignmentStrategy PartitionAssignmentStrategy { get; set; } = PartitionAssignmentStrategy.CooperativeSticky;

    /// <summary><c>session.timeout.ms</c>: the group removes the consumer when it has not heard from it for this long. Default 45000.</summary>
    public int SessionTimeoutMs { get; set; } = DefaultSessionTimeoutMs;

    /// <summary><c>heartbeat.interval.ms</c>: how long one heartbeat waits at the group (it returns early when a rebalance starts). Default 3000.</summary>
    public int HeartbeatIntervalMs { get; set; } = DefaultHeartbeatIntervalMs;

    /// <summary><c>max.poll.interval.ms</c>: a consumer that does not call Consume for this long leaves the group (its partitions move). Default 300000.</summary>
    public int MaxPollIntervalMs { get; set; } = DefaultMaxPollIntervalMs;

    /// <summary><c>enable.auto.commit</c>: commit the positions of consumed records every <see cref="AutoCommitIntervalMs"/>, before a revocation and on Close. Default true.</summary>
    public bool EnableAutoCommit { get; set; } = true;

    /// <summary><c>auto.commit.interval.ms</c>. Default 5000.</summary>
    public int AutoCommitIntervalMs { get; set; } = DefaultAutoCommitIntervalMs;

    /// <summary>
    /// <c>auto.offset.reset</c>: where to start when the group has no committed offset for a
    /// partition, or the position is outside the log (deleted by retention, or past the end).
    /// Default latest.
    /// </summary>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Latest;

    /// <summary><c>fetch.min.bytes</c>: the broker waits (up to <see cref="FetchMaxWaitMs"/>) until this much is available. Default 1.</summary>
    public int FetchMinBytes { get; set; } = DefaultFetchMinBytes;

    /// <summary><c>fetch.max.bytes</c>: the most one fetch returns (at least one batch). Default 50 MiB.</summary>
    public int FetchMaxBytes { get; set; } = DefaultFetchMaxBytes;

    /// <summary><c>max.partition.fetch.bytes</c>: the most one fetch returns per partition. Default 1 MiB.</summary>
    public int MaxPartitionFetchBytes { get; set; } = DefaultMaxPartitionFetchBytes;

    /// <summary><c>fetch.max.wait.ms</c>: how long the broker holds a fetch (long poll) waiting for <see cref="FetchMinBytes"/>. Default 500.</summary>
    public int FetchMaxWaitMs { get; set; } = DefaultFetchMaxWaitMs;

    /// <summary><c>check.crcs</c>: verify each fetched batch's CRC-32C before handing out its records. Default true.</summary>
    public bool CheckCrcs { get; set; } = true;

    /// <summary><c>retry.backoff.ms</c>: the wait before a failed fetch is retried; it doubles per attempt. Default 100.</summary>
    public int RetryBackoffMs { get; set; } = DefaultRetryBackoffMs;

    /// <summary><c>retry.backoff.max.ms</c>: the cap of the fetch backoff. Default 1000.</summary>
    public int RetryBackoffMaxMs { get; set; } = DefaultRetryBackoffMaxMs;

    public override void Validate()
    {
        base.Validate();
        Require(Enum.IsDefined(AutoOffsetReset), $"AutoOffsetReset {(int)AutoOffsetReset} is unknown; use Earliest, Latest or Error.");
        Require(FetchMinBytes >= 0, $"FetchMinBytes must not be negative; it is {FetchMinBytes}.");
        Require(FetchMaxBytes > 0, $"FetchMaxBytes must be positive; it is {FetchMaxBytes}.");
        Require(MaxPartitionFetchBytes > 0, $"MaxPartitionFetchBytes must be positive; it is {MaxPartitionFetchBytes}.");
        Require(FetchMaxWaitMs >= 0, $"FetchMaxWaitMs must not be negative; it is {FetchMaxWaitMs}.");
        Require(RetryBackoffMs >= 0, $"RetryBackoffMs must not be negative; it is {RetryBackoffMs}.");
        Require(RetryBackoffMaxMs >= RetryBackoffMs, $"RetryBackoffMaxMs ({RetryBackoffMaxMs}) must be at least RetryBackoffMs ({RetryBackoffMs}).");
        Require(GroupId is null || !string.IsNullOrWhiteSpace(GroupId), "GroupId must not be blank; leave it null for a consumer without a group.");
        Require(GroupInstanceId is null || !string.IsNullOrWhiteSpace(GroupInstanceId), "GroupInstanceId must not be blank.");
        Require(Enum.IsDefined(PartitionAssignmentStrategy), $"PartitionAssignmentStrategy {(int)PartitionAssignmentStrategy} is unknown.");
        Require(SessionTimeoutMs > 0, $"SessionTimeoutMs must be positive; it is {SessionTimeoutMs}.");
        Require(HeartbeatIntervalMs > 0 && HeartbeatIntervalMs < SessionTimeoutMs, $"HeartbeatIntervalMs ({HeartbeatIntervalMs}) must be positive and below SessionTimeoutMs ({SessionTimeoutMs}).");
        Require(MaxPollIntervalMs > 0, $"MaxPollIntervalMs must be positive; it is {MaxPollIntervalMs}.");
        Require(AutoCommitIntervalMs > 0, $"AutoCommitIntervalMs must be positive; it is {AutoCommitIntervalMs}.");
    }
}
