using System.Collections.Concurrent;
using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Partition counts set by the test; an unknown topic is UNKNOWN_TOPIC_OR_PARTITION.</summary>
internal sealed class FakeTopicMetadata : ITopicMetadata
{
    private readonly ConcurrentDictionary<string, int> _cached = new();

    public ConcurrentDictionary<string, int> Topics { get; } = new();

    public int Lookups;

    public ValueTask<int> GetPartitionCountAsync(string topic, CancellationToken cancellationToken)
    {
        if (_cached.TryGetValue(topic, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        Interlocked.Increment(ref Lookups);
        if (!Topics.TryGetValue(topic, out var count))
        {
            throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist.");
        }

        _cached[topic] = count;
        return ValueTask.FromResult(count);
    }

    public bool TryGetPartitionCount(string topic, out int partitions) => _cached.TryGetValue(topic, out partitions);

    public void Invalidate(string topic) => _cached.TryRemove(topic, out _);
}
