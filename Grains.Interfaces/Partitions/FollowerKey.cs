using System.Globalization;
using Orlog.Errors;

namespace Orlog.Partitions;

/// <summary>The grain key of a follower replica: <c>topic/partition/broker</c>.</summary>
public static class FollowerKey
{
    public static string Format(TopicPartition partition, int broker) =>
        string.Create(CultureInfo.InvariantCulture, $"{partition.Topic}/{partition.Partition}/{broker}");

    public static (TopicPartition Partition, int Broker) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var broker))
        {
            throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"'{key}' is not a follower key (topic/partition/broker).");
        }

        return (PartitionKey.Parse(key[..slash]), broker);
    }
}
