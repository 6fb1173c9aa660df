using Orlog.Errors;
using Orlog.Partitions;
using Orlog.Topics;

namespace Orlog.Client;

/// <summary>
/// The admin client over <see cref="ITopicGrain"/>, <see cref="ITopicDirectoryGrain"/> and <see cref="IPartitionGrain"/>;
/// consumer groups in <c>AdminClient.Groups.cs</c>.
/// </summary>
internal sealed partial class AdminClient(OrlogClient client, bool ownsClient) : IAdminClient
{
    public Task<IReadOnlyList<TopicDescription>> CreateTopicsAsync(IEnumerable<TopicSpecification> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return ForEachAsync(
            topics,
            (factory, topic) =>
            {
                TopicName.Validate(topic.Name);
                var spec = new TopicSpec(topic.Name, topic.NumPartitions, topic.ReplicationFactor, new Dictionary<string, string>(topic.Configs));
                return factory.GetGrain<ITopicGrain>(topic.Name).CreateAsync(spec);
            },
            topic => $"Create topic '{topic.Name}'",
            cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        var topics = await Call(() => factory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).ListAsync(), "List topics", cancellationToken).ConfigureAwait(false);
        var sorted = topics.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    public Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return ForEachAsync(
            topics,
            (factory, topic) =>
            {
                TopicName.Validate(topic);
                return factory.GetGrain<ITopicGrain>(topic).DescribeAsync();
            },
            topic => $"Describe topic '{topic}'",
            cancellationToken);
    }

    public async Task<TopicDescription> AlterConfigsAsync(string topic, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        TopicName.Validate(topic);
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        var copy = new Dictionary<string, string?>(changes);
        return await Call(() => factory.GetGrain<ITopicGrain>(topic).AlterConfigsAsync(copy), $"Alter configs of topic '{topic}'", cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<TopicDescription>> CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        return ForEachAsync(
            partitions,
            (factory, spec) =>
            {
                TopicName.Validate(spec.Topic);
                return factory.GetGrain<ITopicGrain>(spec.Topic).AddPartitionsAsync(spec.IncreaseTo);
            },
            spec => $"Create partitions of topic '{spec.Topic}'",
            cancellationToken);
    }

    public async Task DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        _ = await ForEachAsync(
            topics,
            async (factory, topic) =>
            {
                TopicName.Validate(topic);
                await factory.GetGrain<ITopicGrain>(topic).DeleteAsync().ConfigureAwait(false);
                return true;
            },
            topic => $"Delete topic '{topic}'",
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        return ForEachAsync(
            offsets,
            async (factory, position) =>
            {
                if (position.Offset.Value < 0 && position.Offset.Value != Offset.EndValue)
                {
                    throw new OrlogException(ErrorCode.OffsetOutOfRange, $"DeleteRecords of {position.TopicPartition} needs an offset or End, not {position.Offset}.");
                }

                var grain = factory.GetGrain<IPartitionGrain>(PartitionKey.Format(position.Topic, position.Partition));
                var logStart = await grain.DeleteRecordsAsync(position.Offset.Value).ConfigureAwait(false);
                return new DeleteRecordsResult(position.TopicPartition, logStart);
            },
            position => $"Delete records of {position.TopicPartition}",
            cancellationToken);
    }

    public async Task<IReadOnlyList<SiloDescription>> DescribeClusterAsync(CancellationToken cancellationToken = default)
    {
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        var hosts = await factory.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false, cancellationToken).ConfigureAwait(false);
        return [.. hosts.Select(host => new SiloDescription(host.SiloAddress.ToString(), host.SiloName, host.HostName, host.Status.ToString(), host.StartTime))];
    }

    /// <summary>Runs the operation for every item concurrently; throws the first failure in input order after all finished.</summary>
    private async Task<IReadOnlyList<TResult>> ForEachAsync<TItem, TResult>(
        IEnumerable<TItem> items,
        Func<Orleans.IGrainFactory, TItem, Task<TResult>> operation,
        Func<TItem, string> describe,
        CancellationToken cancellationToken)
    {
        var list = items.ToList();
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        var calls = new Task<TResult>[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i];
            calls[i] = Call(() => operation(factory, item), describe(item), cancellationToken);
        }

        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception) when (Array.Find(calls, c => c.IsFaulted) is { } first)
        {
            // WhenAll rethrows an arbitrary one; the caller gets the first in input order.
            throw first.Exception!.InnerException!;
        }

        var results = new TResult[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            results[i] = calls[i].Result;
        }

        return results;
    }

    private async Task<T> Call<T>(Func<Task<T>> call, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SiloWatch.AwaitAsync(call(), operation).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException and not OperationCanceledException)
        {
            throw ClusterErrors.Translate(e, operation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (ownsClient)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
