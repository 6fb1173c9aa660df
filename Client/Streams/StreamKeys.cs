using System.Text;

namespace Orlog.Streams;

/// <summary>How streams and records correspond: namespace = topic, stream key = record key (UTF-8 for string keys).</summary>
internal static class StreamKeys
{
    /// <summary>The topic of a stream: its namespace, which must be one of <paramref name="topics"/>.</summary>
    /// <exception cref="ArgumentException">The stream has no namespace, or one that is not a topic of the provider.</exception>
    public static string TopicOf(StreamId streamId, ICollection<string> topics)
    {
        var topic = TopicOf(streamId);
        return topics.Contains(topic)
            ? topic
            : throw new ArgumentException($"Stream {streamId}: its namespace '{topic}' is not one of the provider's topics ({string.Join(", ", topics)}).", nameof(streamId));
    }

    /// <summary>The topic a stream's namespace names.</summary>
    /// <exception cref="ArgumentException">The stream has no namespace.</exception>
    public static string TopicOf(StreamId streamId) =>
        streamId.GetNamespace() ?? throw new ArgumentException($"Stream {streamId} has no namespace; an Orlog stream's namespace names its topic.", nameof(streamId));

    /// <summary>The key of the stream that the partition's records without a key belong to: the partition number.</summary>
    public static byte[] KeyForRecordsWithoutKey(int partition) => Encoding.UTF8.GetBytes(partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
