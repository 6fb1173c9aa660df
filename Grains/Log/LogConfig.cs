using Orlog.Records;

namespace Orlog.Log;

/// <summary>
/// The per-partition settings of a log, named after Kafka's topic configs. Immutable: a
/// topic alter hands the log a new instance.
/// </summary>
public sealed record LogConfig
{
    public const int DefaultSegmentBytes = 1024 * 1024 * 1024;
    public const long DefaultSegmentMs = 7L * 24 * 60 * 60 * 1000;
    public const int DefaultIndexIntervalBytes = 4096;
    public const long DefaultRetentionMs = 7L * 24 * 60 * 60 * 1000;
    public const long DefaultRetentionBytes = -1;
    public const int DefaultMaxMessageBytes = 1024 * 1024 + 12;
    public const long DefaultFlushMs = 10;

    /// <summary><c>local.retention.ms</c> / <c>local.retention.bytes</c> value meaning "the same as the total retention".</summary>
    public const long LocalRetentionFollowsTotal = -2;

    /// <summary>Smallest segment.bytes accepted: room for one header plus a little data.</summary>
    public const int MinSegmentBytes = 14;

    /// <summary><c>segment.bytes</c>: roll the active segment before it would pass this size.</summary>
    public int SegmentBytes { get; init; } = DefaultSegmentBytes;

    /// <summary><c>segment.ms</c>: roll the active segment once its first batch is this old.</summary>
    public long SegmentMs { get; init; } = DefaultSegmentMs;

    /// <summary><c>index.interval.bytes</c>: bytes of log between two sparse index entries.</summary>
    public int IndexIntervalBytes { get; init; } = DefaultIndexIntervalBytes;

    /// <summary><c>retention.ms</c>: delete closed segments whose newest record is older; -1 keeps them forever.</summary>
    public long RetentionMs { get; init; } = DefaultRetentionMs;

    /// <summary><c>retention.bytes</c>: delete the oldest closed segments while the log is larger; -1 means no limit.</summary>
    public long RetentionBytes { get; init; } = DefaultRetentionBytes;

    /// <summary><c>remote.storage.enable</c>: closed segments are copied to the remote tier, and local copies may go once copied.</summary>
    public bool RemoteStorageEnable { get; init; }

    /// <summary>
    /// <c>local.retention.ms</c>: with remote storage, how long copied segments stay on local disk
    /// too; -2 (the default) means as long as <see cref="RetentionMs"/>.
    /// </summary>
    public long LocalRetentionMs { get; init; } = LocalRetentionFollowsTotal;

    /// <summary><c>local.retention.bytes</c>: with remote storage, the most local disk the log keeps of copied segments; -2 (the default) means <see cref="RetentionBytes"/>.</summary>
    public long LocalRetentionBytes { get; init; } = LocalRetentionFollowsTotal;

    /// <summary>The local retention in effect: <c>local.retention.ms</c> with remote storage (resolving -2), else <c>retention.ms</c>.</summary>
    public long EffectiveLocalRetentionMs => RemoteStorageEnable && LocalRetentionMs != LocalRetentionFollowsTotal ? LocalRetentionMs : RetentionMs;

    /// <summary>The local size limit in effect, as <see cref="EffectiveLocalRetentionMs"/>.</summary>
    public long EffectiveLocalRetentionBytes => RemoteStorageEnable && LocalRetentionBytes != LocalRetentionFollowsTotal ? LocalRetentionBytes : RetentionBytes;

    /// <summary><c>max.message.bytes</c>: the largest record batch accepted.</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary><c>flush.policy</c>: when appended data is forced to disk.</summary>
    public FlushMode FlushMode { get; init; } = FlushMode.Os;

    /// <summary><c>flush.ms</c>: with <see cref="FlushMode.Interval"/>, the most time between two fsyncs of pending data.</summary>
    public long FlushMs { get; init; } = DefaultFlushMs;

    /// <summary><c>message.timestamp.type</c>: whose clock the stored timestamps follow.</summary>
    public TimestampType MessageTimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentBytes, MinSegmentBytes, "segment.bytes");
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentMs, 1, "segment.ms");
        ArgumentOutOfRangeException.ThrowIfLessThan(IndexIntervalBytes, 0, "index.interval.bytes");
        ArgumentOutOfRangeException.ThrowIfLessThan(RetentionMs, -1, "retention.ms");
        ArgumentOutOfRangeException.ThrowIfLessThan(RetentionBytes, -1, "retention.bytes");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, RecordBatchLayout.HeaderSize, "max.message.bytes");
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushMs, 0, "flush.ms");
        ArgumentOutOfRangeException.ThrowIfLessThan(LocalRetentionMs, LocalRetentionFollowsTotal, "local.retention.ms");
        ArgumentOutOfRangeException.ThrowIfLessThan(LocalRetentionBytes, LocalRetentionFollowsTotal, "local.retention.bytes");
    }
}
