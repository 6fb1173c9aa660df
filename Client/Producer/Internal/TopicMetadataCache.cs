using System.Collections.Concurrent;
using Orlog.Errors;
using Orlog.Topics;

namespace Orlog.Client;

/// <summary>Partition counts from <see cref="ITopicGrain.DescribeAsync"/>, cached per topic until invalidated.</summary>
/// <remarks>
/// A topic's partition count only grows (CreatePartitions); the producer invalidates the entry when
/// a produce fails with UNKNOWN_TOPIC_OR_PARTITION, which also covers a deleted and recreated topic.
/// </remarks>
internal sealed class TopicMetadataCache(OrlogClient client) : ITopicMetadata
{
    private readonly ConcurrentDictionary<string, int> _partitions = new(StringComparer.Ordinal);

    public ValueTask<int> GetPartitionCountAsync(string topic, CancellationToken cancellationToken) =>
        _partitions.TryGetValue(topic, out var count) ? ValueTask.FromResult(count) : new ValueTask<int>(DescribeAsync(topic, cancellationToken));

    public bool TryGetPartitionCount(string topic, out int partitions) => _partitions.TryGetValue(topic, out partitions);

    public void Invalidate(string topic) => _partitions.TryRemove(topic, out _);

    private async Task<int> DescribeAsync(string topic, CancellationToken cancellationToken)
    {
        TopicName.Validate(topic);
        TopicDescription description;
        try
        {
            var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
            description = await client.SiloWatch.AwaitAsync(factory.GetGrain<ITopicGrain>(topic).DescribeAsync(), $"Describe topic '{topic}'").WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException and not OperationCanceledException)
        {
            throw ClusterErrors.Translate(e, $"Describe topic '{topic}'");
        }

        _partitions[topic] = description.Partitions;
        return description.Partitions;
    }
}
