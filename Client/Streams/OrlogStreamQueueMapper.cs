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
        var topic = StreamKeys.TopicOf(streamId, _partitionCounts.Keys);
        return new TopicPartition(topic, Murmur2.Partition(streamId.Key.Span, _partitionCounts[topic]));
    }

    /// <summary>The partition a queue reads.</summary>
    public static TopicPartition PartitionOf(QueueId queue) => new(queue.GetStringNamePrefix(), (int)queue.GetNumericId());
}
