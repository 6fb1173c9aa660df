using System.Text;
using Orleans.Streams;
using Orlog.Client;

namespace Orlog.Streams;

/// <summary>
/// The provider's queues are the partitions of its topics. A stream lives in the topic its namespace
/// names, in the partition Kafka's default partitioner picks for its key, so streams published from
/// Orleans and records produced with the same key by any Kafka-style producer meet in one partition.
/// </summary>
internal sealed class OrlogStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;
    private readonly Dictionary<string, int> _firstQueueOfTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _partitionCounts;

    /// <param name="partitionCounts">Each topic and how many partitions it has.</param>
    public OrlogStreamQueueMapper(IReadOnlyDictionary<string, int> partitionCounts)
    {
        _partitionCounts = new Dictionary<string, int>(partitionCounts, StringComparer.Ordinal);
        var total = _partitionCounts.Values.Sum();
        _queues = new QueueId[total];

        // Spread the queues evenly over the hash ring, so the consistent-ring balancer gives every silo a fair share.
        var portion = (uint)((1L << 32) / total);
        var index = 0;
        foreach (var (topic, count) in _partitionCounts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            _firstQueueOfTopic[topic] = index;
            for (var partition = 0; partition < count; partition++, index++)
            {
                _queues[index] = QueueId.GetQueueId(topic, (uint)partition, unchecked(portion * (uint)index));
            }
        }
    }

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _queues.Where(queue => range.InRange(queue.GetUniformHashCode()));

    public QueueId GetQueueForStream(StreamId streamId)
    {
        var partition = PartitionOf(streamId);
        return _queues[_firstQueueOfTopic[partition.Topic] + partition.Partition];
    }

    /// <summary>The partition a stream lives in.</summary>
    /// <exception cref="ArgumentException">The stream's namespace is not one of the provider's topics.</exception>
    public TopicPartition PartitionOf(StreamId streamId)
    {
        var topic = StreamKeys.TopicOf(streamId);
        if (!_partitionCounts.TryGetValue(topic, out var count))
        {
            throw new ArgumentException($"Stream {streamId}: its namespace '{topic}' is not one of the provider's topics ({string.Join(", ", _partitionCounts.Keys)}).", nameof(streamId));
        }

        return new TopicPartition(topic, Murmur2.Partition(streamId.Key.Span, count));
    }

    /// <summary>The partition a queue reads.</summary>
    public static TopicPartition PartitionOf(QueueId queue) => new(queue.GetStringNamePrefix(), (int)queue.GetNumericId());
}

/// <summary>How streams and records correspond: namespace = topic, stream key = record key (UTF-8 for string keys).</summary>
internal static class StreamKeys
{
    /// <summary>The topic of a stream: its namespace.</summary>
    /// <exception cref="ArgumentException">The stream has no namespace.</exception>
    public static string TopicOf(StreamId streamId) =>
        streamId.GetNamespace() ?? throw new ArgumentException($"Stream {streamId} has no namespace; an Orlog stream's namespace names its topic.", nameof(streamId));

    /// <summary>
    /// The stream of a record: the topic's namespace and the record's key; a record without a key
    /// belongs to the stream keyed by its partition number.
    /// </summary>
    public static StreamId StreamOf(byte[] topicUtf8, ReadOnlySpan<byte> key) => StreamId.Create(topicUtf8, key);

    /// <summary>The key of the stream that records without a key belong to.</summary>
    public static byte[] KeyForRecordsWithoutKey(int partition) => Encoding.UTF8.GetBytes(partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
