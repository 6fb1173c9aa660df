using Orlog.Cluster;
using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Client;

/// <summary>Sends batches with <see cref="IPartitionGrain.ProduceAsync"/>; producer ids come from the controller.</summary>
internal sealed class GrainBatchSender(OrlogClient client) : IBatchSender
{
    public async Task<ProduceResult> ProduceAsync(TopicPartition partition, ProduceBatches batches, Acks acks)
    {
        try
        {
            var factory = await client.GetGrainFactoryAsync().ConfigureAwait(false);
            var grain = factory.GetGrain<IPartitionGrain>(PartitionKey.Format(partition.Topic, partition.Partition));

            // A co-hosted call passes the buffer by reference; the broker stamps it and may release it.
            return await client.SiloWatch.AwaitAsync(grain.ProduceAsync(batches, acks), partition, static p => $"Produce to {p}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException)
        {
            throw ClusterErrors.Translate(e, $"Produce to {partition}");
        }
    }

    public async Task<long> InitProducerIdAsync()
    {
        try
        {
            var factory = await client.GetGrainFactoryAsync().ConfigureAwait(false);
            return await client.SiloWatch.AwaitAsync(factory.GetGrain<IControllerGrain>(IControllerGrain.Key).InitProducerIdAsync(), "Get a producer id").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OrlogException)
        {
            throw ClusterErrors.Translate(e, "Get a producer id");
        }
    }
}
