using System.Globalization;
using Orlog.Topics;

namespace Orlog.Tiering;

/// <summary>
/// The names of the remote tier, the same for every store: a partition's files live under
/// <c>&lt;topic&gt;/&lt;partition&gt;/</c>, a segment's as <c>&lt;baseOffset, 20 digits&gt;.log|.index|.timeindex</c>
/// (as its local files, Kafka's naming), beside the partition's <c>manifest.json</c>.
/// </summary>
/// <remarks>
/// Names are relative and separated by <c>/</c>: a blob name as is, a path under the local store's root
/// once split. The topic is checked against Kafka's rule first, so no name escapes its partition's
/// folder (no <c>..</c>, no separator). The trailing <c>/</c> of <see cref="PartitionPrefix"/> keeps
/// partition 1 from listing partition 10's files, and topic <c>t-1</c> from listing <c>t-10</c>'s.
/// </remarks>
public static class RemoteStorePaths
{
    public const string ManifestName = "manifest.json";
    public const string LogSuffix = ".log";
    public const string OffsetIndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";

    private const int BaseOffsetDigits = 20;

    /// <summary>The three files of a segment, in the order they are copied.</summary>
    public static IReadOnlyList<RemoteFileKind> FileKinds { get; } = [RemoteFileKind.Log, RemoteFileKind.OffsetIndex, RemoteFileKind.TimeIndex];

    /// <summary>The folder of a partition, with its trailing separator: <c>orders/3/</c>.</summary>
    /// <exception cref="Errors.OrlogException">INVALID_TOPIC when the topic name breaks Kafka's rule.</exception>
    public static string PartitionPrefix(TopicPartition partition)
    {
        TopicName.Validate(partition.Topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition.Partition);
        return $"{partition.Topic}/{partition.Partition.ToString(CultureInfo.InvariantCulture)}/";
    }

    /// <summary>A segment file's name within its partition's folder: <c>00000000000000000042.index</c>.</summary>
    public static string SegmentFileName(long baseOffset, RemoteFileKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseOffset);
        return baseOffset.ToString("D20", CultureInfo.InvariantCulture) + Suffix(kind);
    }

    /// <summary>A segment file's full name: <c>orders/3/00000000000000000042.log</c>.</summary>
    public static string SegmentFile(RemoteSegmentId id, RemoteFileKind kind) => PartitionPrefix(id.Partition) + SegmentFileName(id.BaseOffset, kind);

    /// <summary>The manifest's full name: <c>orders/3/manifest.json</c>.</summary>
    public static string Manifest(TopicPartition partition) => PartitionPrefix(partition) + ManifestName;

    public static string Suffix(RemoteFileKind kind) => kind switch
    {
        RemoteFileKind.Log => LogSuffix,
        RemoteFileKind.OffsetIndex => OffsetIndexSuffix,
        RemoteFileKind.TimeIndex => TimeIndexSuffix,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a segment file kind."),
    };

    /// <summary>The base offset a name within a partition's folder is a segment file of; false for anything else (the manifest, a <c>.tmp</c>).</summary>
    public static bool TryParseSegmentFileName(ReadOnlySpan<char> name, out long baseOffset)
    {
        baseOffset = 0;
        if (name.Length <= BaseOffsetDigits)
        {
            return false;
        }

        var suffix = name[BaseOffsetDigits..];
        if (!(suffix.SequenceEqual(LogSuffix) || suffix.SequenceEqual(OffsetIndexSuffix) || suffix.SequenceEqual(TimeIndexSuffix)))
        {
            return false;
        }

        return long.TryParse(name[..BaseOffsetDigits], NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }

    /// <summary>The local file of a kind among a segment's files.</summary>
    public static string SourcePath(SegmentFilePaths files, RemoteFileKind kind)
    {
        ArgumentNullException.ThrowIfNull(files);
        return kind switch
        {
            RemoteFileKind.Log => files.Log,
            RemoteFileKind.OffsetIndex => files.OffsetIndex,
            RemoteFileKind.TimeIndex => files.TimeIndex,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a segment file kind."),
        };
    }

    /// <summary>The path of a relative name under a local root, with the platform's separators.</summary>
    public static string LocalPath(string root, string name) => Path.Combine([root, .. name.Split('/', StringSplitOptions.RemoveEmptyEntries)]);
}
