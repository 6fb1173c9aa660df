using System.Globalization;

namespace Orlog.Log;

/// <summary>Segment files are named by their base offset in 20 digits, as in Kafka: <c>00000000000000000042.log</c>.</summary>
public static class SegmentFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";

    public static string Stem(string directory, long baseOffset) =>
        Path.Combine(directory, baseOffset.ToString("D20", CultureInfo.InvariantCulture));

    public static string LogPath(string directory, long baseOffset) => Stem(directory, baseOffset) + LogSuffix;

    public static string IndexPath(string directory, long baseOffset) => Stem(directory, baseOffset) + IndexSuffix;

    public static string TimeIndexPath(string directory, long baseOffset) => Stem(directory, baseOffset) + TimeIndexSuffix;

    /// <summary>The base offsets of the <c>.log</c> files in a directory, ascending.</summary>
    public static List<long> ListBaseOffsets(string directory)
    {
        var offsets = new List<long>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + LogSuffix))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var baseOffset))
            {
                offsets.Add(baseOffset);
            }
        }

        offsets.Sort();
        return offsets;
    }
}
