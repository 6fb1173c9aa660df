using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Client;

/// <summary>Fetches and lists offsets through <see cref="IPartitionGrain"/>.</summary>
internal sealed class GrainFetchClient(OrlogClient client) : IFetchClient
{
    public async Task<FetchResult> FetchAsync(TopicPartition partition, long offset, int maxBytes, int minBytes, TimeSpan maxWait)
    {
        try
        {
            var grain = await GrainAsync(partition).ConfigureAwait(false);
            return await client.SiloWatch.AwaitAsync(grain.FetchAsync(offset, maxBytes, minBytes, maxWait), partition, static p => $"Fetch from {p}", maxWait).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException)
        {
            throw ClusterErrors.Translate(e, $"Fetch from {partition} at offset {offset}");
        }
    }

    public async Task<ListOffsetsResult> ListOffsetsAsync(TopicPartition partition, OffsetSpec spec)
    {
        try
        {
            var grain = await GrainAsync(partition).ConfigureAwait(false);
            return await client.SiloWatch.AwaitAsync(grain.ListOffsetsAsync(spec), $"List offsets of {partition}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException)
        {
            throw ClusterErrors.Translate(e, $"List offsets of {partition}");
        }
    }

    private async ValueTask<IPartitionGrain> GrainAsync(TopicPartition partition)
    {
        var factory = await client.GetGrainFactoryAsync().ConfigureAwait(false);
        return factory.GetGrain<IPartitionGrain>(PartitionKey.Format(partition.Topic, partition.Partition));
    }
}
