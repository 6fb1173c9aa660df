using System.Collections.Concurrent;
using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Partition counts set by the test; an unknown topic is UNKNOWN_TOPIC_OR_PARTITION.</summary>
internal sealed class FakeTopicMetadata : ITopicMetadata
{
    private readonly ConcurrentDictionary<string, int> _cached = new();

    public ConcurrentDictionary<string, int> Topics { get; } = new();

    public int Lookups;

    /// <summary>When set, lookups of uncached topics wait for it (a slow metadata round trip).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public ValueTask<int> GetPartitionCountAsync(string topic, CancellationToken cancellationToken)
    {
        if (_cached.TryGetValue(topic, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        Interlocked.Increment(ref Lookups);
        if (Gate is { } gate)
        {
            return new ValueTask<int>(LookUpAfterAsync(gate.Task, topic));
        }

        if (!Topics.TryGetValue(topic, out var count))
        {
            throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist.");
        }

        _cached[topic] = count;
        return ValueTask.FromResult(count);
    }

    private async Task<int> LookUpAfterAsync(Task gate, string topic)
    {
        await gate.ConfigureAwait(false);
        var count = Topics[topic];
        _cached[topic] = count;
        return count;
    }

    public bool TryGetPartitionCount(string topic, out int partitions) => _cached.TryGetValue(topic, out partitions);

    public void Invalidate(string topic) => _cached.TryRemove(topic, out _);
}
