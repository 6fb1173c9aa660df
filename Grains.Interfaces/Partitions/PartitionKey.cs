using System.Globalization;
using Orlog.Errors;

namespace Orlog.Partitions;

/// <summary>The grain key of a partition: <c>topic/partition</c>.</summary>
public static class PartitionKey
{
    public static string Format(string topic, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}/{partition}");

    public static TopicPartition Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"'{key}' is not a partition key (topic/partition).");
        }

        return new TopicPartition(key[..slash], partition);
    }
}
