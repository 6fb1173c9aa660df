using System.Collections.Frozen;
using System.Globalization;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Records;

namespace Orlog.Topics;

/// <summary>
/// The topic configs Orlog understands, under Kafka's names, and how they map onto a
/// <see cref="LogConfig"/>. An unknown name or a bad value is INVALID_CONFIG.
/// </summary>
public static class TopicConfigs
{
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";
    public const string SegmentBytes = "segment.bytes";
    public const string SegmentMs = "segment.ms";
    public const string IndexIntervalBytes = "index.interval.bytes";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string FlushPolicy = "flush.policy";
    public const string FlushMs = "flush.ms";
    public const string MessageTimestampType = "message.timestamp.type";
    public const string CleanupPolicy = "cleanup.policy";
    public const string RemoteStorageEnable = "remote.storage.enable";
    public const string LocalRetentionMs = "local.retention.ms";
    public const string LocalRetentionBytes = "local.retention.bytes";
    public const string MinInSyncReplicas = "min.insync.replicas";
    public const string UncleanLeaderElectionEnable = "unclean.leader.election.enable";

    private static readonly FrozenSet<string> Known = new[]
    {
        RetentionMs, RetentionBytes, SegmentBytes, SegmentMs, IndexIntervalBytes, MaxMessageBytes,
        FlushPolicy, FlushMs, MessageTimestampType, CleanupPolicy, RemoteStorageEnable, LocalRetentionMs, LocalRetentionBytes,
        MinInSyncReplicas, UncleanLeaderElectionEnable,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The names a topic may set.</summary>
    public static IReadOnlyCollection<string> Names => Known;

    /// <summary>Checks every entry (log and replication settings).</summary>
    /// <exception cref="OrlogException">INVALID_CONFIG naming the entry and what is accepted.</exception>
    public static void Validate(IReadOnlyDictionary<string, string> configs)
    {
        ToLogConfig(configs);
        ToReplicationConfig(configs);
    }

    /// <summary>The replication settings of the configs (Kafka's defaults for the rest).</summary>
    /// <exception cref="OrlogException">INVALID_CONFIG for a bad value.</exception>
    public static ReplicationConfig ToReplicationConfig(IReadOnlyDictionary<string, string> configs) => new(
        configs.TryGetValue(MinInSyncReplicas, out var min) ? Int(MinInSyncReplicas, min, min: 1) : 1,
        configs.TryGetValue(UncleanLeaderElectionEnable, out var unclean) && Bool(UncleanLeaderElectionEnable, unclean));

    /// <summary>Checks every entry and returns the log settings they make (defaults for the rest).</summary>
    /// <exception cref="OrlogException">INVALID_CONFIG naming the entry and what is accepted.</exception>
    public static LogConfig ToLogConfig(IReadOnlyDictionary<string, string> configs)
    {
        var config = new LogConfig();
        foreach (var (name, value) in configs)
        {
            config = name switch
            {
                RetentionMs => config with { RetentionMs = Long(name, value, min: -1) },
                RetentionBytes => config with { RetentionBytes = Long(name, value, min: -1) },
                SegmentBytes => config with { SegmentBytes = Int(name, value, min: LogConfig.MinSegmentBytes) },
                SegmentMs => config with { SegmentMs = Long(name, value, min: 1) },
                IndexIntervalBytes => config with { IndexIntervalBytes = Int(name, value, min: 0) },
                MaxMessageBytes => config with { MaxMessageBytes = Int(name, value, min: RecordBatchLayout.HeaderSize) },
                FlushPolicy => config with { FlushMode = ParseFlushPolicy(value) },
                FlushMs => config with { FlushMs = Long(name, value, min: 0) },
                MessageTimestampType => config with { MessageTimestampType = ParseTimestampType(value) },
                RemoteStorageEnable => config with { RemoteStorageEnable = Bool(name, value) },
                LocalRetentionMs => config with { LocalRetentionMs = Long(name, value, min: LogConfig.LocalRetentionFollowsTotal) },
                LocalRetentionBytes => config with { LocalRetentionBytes = Long(name, value, min: LogConfig.LocalRetentionFollowsTotal) },
                MinInSyncReplicas or UncleanLeaderElectionEnable => config,
                CleanupPolicy when value == "delete" => config,
                CleanupPolicy => throw Invalid(name, value, "only 'delete' is supported (compaction is not)"),
                _ => throw new OrlogException(ErrorCode.InvalidConfig, $"Unknown topic config '{name}'. Known configs: {string.Join(", ", Known.Order(StringComparer.Ordinal))}."),
            };
        }

        return config;
    }

    private static FlushMode ParseFlushPolicy(string value) => value switch
    {
        "os" => FlushMode.Os,
        "interval" => FlushMode.Interval,
        "every-batch" => FlushMode.EveryBatch,
        _ => throw Invalid(FlushPolicy, value, "use os, interval or every-batch"),
    };

    private static TimestampType ParseTimestampType(string value) => value switch
    {
        "CreateTime" => TimestampType.CreateTime,
        "LogAppendTime" => TimestampType.LogAppendTime,
        _ => throw Invalid(MessageTimestampType, value, "use CreateTime or LogAppendTime"),
    };

    private static bool Bool(string name, string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw Invalid(name, value, "use true or false"),
    };

    private static long Long(string name, string value, long min) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && parsed >= min
            ? parsed
            : throw Invalid(name, value, $"a whole number of at least {min} is needed");

    private static int Int(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && parsed >= min
            ? parsed
            : throw Invalid(name, value, $"a whole number from {min} to {int.MaxValue} is needed");

    private static OrlogException Invalid(string name, string value, string what) =>
        new(ErrorCode.InvalidConfig, $"Invalid value '{value}' for topic config '{name}': {what}.");
}
