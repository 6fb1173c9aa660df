using Orlog.Log.Files;

namespace Orlog.Log;

/// <summary>Settings of the silo's <see cref="LogManager"/> (configuration section <c>Orlog:Log</c>).</summary>
public sealed class LogManagerOptions
{
    public const string DefaultDataDirectory = "./data";
    public static readonly TimeSpan DefaultRetentionCheckInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromMinutes(1);

    /// <summary>The directory holding one sub-directory per partition (<c>topic-partition</c>).</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>Most segment files open at once across all partitions (least recently used close first).</summary>
    public int MaxOpenSegmentFiles { get; set; } = FileHandleCache.DefaultCapacity;

    /// <summary>How often retention runs over the open logs (Kafka's <c>log.retention.check.interval.ms</c>).</summary>
    public TimeSpan RetentionCheckInterval { get; set; } = DefaultRetentionCheckInterval;

    /// <summary>How often recovery points are written, bounding what a crash makes recovery scan.</summary>
    public TimeSpan CheckpointInterval { get; set; } = DefaultCheckpointInterval;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DataDirectory, nameof(DataDirectory));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOpenSegmentFiles, 1, nameof(MaxOpenSegmentFiles));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetentionCheckInterval, TimeSpan.Zero, nameof(RetentionCheckInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckpointInterval, TimeSpan.Zero, nameof(CheckpointInterval));
    }
}
