using System.Collections.Concurrent;

namespace Orlog.Client;

/// <summary>
/// Places records without an explicit partition: murmur2 of the key for keyed records (unless
/// <see cref="Partitioner.UniformSticky"/>), and a sticky partition per topic for the rest, which
/// moves to another partition picked at random each time a batch of the sticky one is sent.
/// </summary>
/// <remarks>
/// Sticking to one partition fills batches faster than spreading single records over all
/// partitions, so fewer, larger batches travel (Kafka's KIP-480). Thread-safe.
/// </remarks>
internal sealed class RecordPartitioner
{
    private readonly Partitioner _kind;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly ConcurrentDictionary<string, int> _sticky = new(StringComparer.Ordinal);

    public RecordPartitioner(Partitioner kind, Random? random = null)
    {
        _kind = kind;
        _random = random ?? new Random();
    }

    /// <param name="keyBytes">The serialized key, or null for a null key.</param>
    public int Partition(string topic, byte[]? keyBytes, int numPartitions)
    {
        if (keyBytes is not null && _kind == Partitioner.Murmur2Sticky)
        {
            return Murmur2.Partition(keyBytes, numPartitions);
        }

        if (_sticky.TryGetValue(topic, out var partition) && partition < numPartitions)
        {
            return partition;
        }

        // First record of the topic, or the topic shrank (it cannot, but metadata may be stale): pick anew.
        var chosen = NextRandom(numPartitions);
        return _sticky.AddOrUpdate(topic, chosen, (_, current) => current < numPartitions ? current : chosen);
    }

    /// <summary>A batch of <paramref name="partition"/> was sent: if it was the sticky one, stick to another.</summary>
    public void OnBatchSent(string topic, int partition, int numPartitions)
    {
        if (!_sticky.TryGetValue(topic, out var current) || current != partition)
        {
            return;
        }

        var next = partition;
        if (numPartitions > 1)
        {
            // Any partition but the one just sent: a random one of the other numPartitions - 1.
            next = NextRandom(numPartitions - 1);
            if (next >= partition)
            {
                next++;
            }
        }

        _sticky.TryUpdate(topic, next, partition);
    }

    /// <summary>The sticky partition of <paramref name="topic"/>, if one was chosen.</summary>
    public int? StickyPartition(string topic) => _sticky.TryGetValue(topic, out var p) ? p : null;

    private int NextRandom(int maxExclusive)
    {
        lock (_randomLock)
        {
            return _random.Next(maxExclusive);
        }
    }
}
