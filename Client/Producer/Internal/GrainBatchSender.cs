using Orleans.Concurrency;
using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Client;

/// <summary>Sends batches with <see cref="IPartitionGrain.ProduceAsync"/>.</summary>
internal sealed class GrainBatchSender(OrlogClient client) : IBatchSender
{
    public async Task<ProduceResult> ProduceAsync(TopicPartition partition, byte[] batches, Acks acks)
    {
        try
        {
            var factory = await client.GetGrainFactoryAsync().ConfigureAwait(false);
            var grain = factory.GetGrain<IPartitionGrain>(PartitionKey.Format(partition.Topic, partition.Partition));

            // Immutable: a co-hosted call passes the array by reference; the broker owns it from here.
            return await grain.ProduceAsync(batches.AsImmutable(), acks).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException)
        {
            throw ClusterErrors.Translate(e, $"Produce to {partition}");
        }
    }
}
