namespace Orlog.Groups;

/// <summary>Broker-side settings of consumer groups, named after Kafka's broker configs.</summary>
public sealed class ConsumerGroupOptions
{
    public const int DefaultMinSessionTimeoutMs = 6_000;
    public const int DefaultMaxSessionTimeoutMs = 1_800_000;
    public const int DefaultOffsetsRetentionMinutes = 7 * 24 * 60;
    public const int DefaultOffsetsRetentionCheckIntervalMs = 600_000;
    public const int DefaultOffsetMetadataMaxBytes = 4096;
    public const int DefaultMetadataRefreshIntervalMs = 5_000;

    /// <summary><c>group.min.session.timeout.ms</c>: the shortest session timeout a member may ask for. Default 6 s.</summary>
    public int MinSessionTimeoutMs { get; set; } = DefaultMinSessionTimeoutMs;

    /// <summary><c>group.max.session.timeout.ms</c>: the longest session timeout a member may ask for. Default 30 min.</summary>
    public int MaxSessionTimeoutMs { get; set; } = DefaultMaxSessionTimeoutMs;

    /// <summary><c>offsets.retention.minutes</c>: how long an empty group keeps its offsets. Default 7 days.</summary>
    public int OffsetsRetentionMinutes { get; set; } = DefaultOffsetsRetentionMinutes;

    /// <summary><c>offsets.retention.check.interval.ms</c>: how often expired offsets are looked for. Default 10 min.</summary>
    public int OffsetsRetentionCheckIntervalMs { get; set; } = DefaultOffsetsRetentionCheckIntervalMs;

    /// <summary><c>offset.metadata.max.bytes</c>: the longest metadata string of a commit. Default 4096.</summary>
    public int OffsetMetadataMaxBytes { get; set; } = DefaultOffsetMetadataMaxBytes;

    /// <summary>How often a group with members checks its topics' partition counts, to rebalance when partitions are added. Default 5 s.</summary>
    public int MetadataRefreshIntervalMs { get; set; } = DefaultMetadataRefreshIntervalMs;

    public TimeSpan OffsetsRetention => TimeSpan.FromMinutes(OffsetsRetentionMinutes);

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(MinSessionTimeoutMs > 0 && MinSessionTimeoutMs <= MaxSessionTimeoutMs, $"MinSessionTimeoutMs ({MinSessionTimeoutMs}) must be positive and at most MaxSessionTimeoutMs ({MaxSessionTimeoutMs}).");
        Require(OffsetsRetentionMinutes > 0, $"OffsetsRetentionMinutes must be positive; it is {OffsetsRetentionMinutes}.");
        Require(OffsetsRetentionCheckIntervalMs > 0, $"OffsetsRetentionCheckIntervalMs must be positive; it is {OffsetsRetentionCheckIntervalMs}.");
        Require(OffsetMetadataMaxBytes >= 0, $"OffsetMetadataMaxBytes must not be negative; it is {OffsetMetadataMaxBytes}.");
        Require(MetadataRefreshIntervalMs > 0, $"MetadataRefreshIntervalMs must be positive; it is {MetadataRefreshIntervalMs}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
