using Orlog.Cluster;
using Orlog.Topics;

namespace Orlog.Client;

/// <summary>Brokers and where partitions live, from the cluster's controller.</summary>
internal sealed partial class AdminClient
{
    public async Task<IReadOnlyList<BrokerDescription>> DescribeBrokersAsync(CancellationToken cancellationToken = default)
    {
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        return await Call(() => factory.GetGrain<IControllerGrain>(IControllerGrain.Key).DescribeBrokersAsync(), "Describe brokers", cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PartitionPlacementDescription>> DescribePartitionsAsync(string topic, CancellationToken cancellationToken = default)
    {
        TopicName.Validate(topic);
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        var controller = factory.GetGrain<IControllerGrain>(IControllerGrain.Key);
        var description = await Call(() => factory.GetGrain<ITopicGrain>(topic).DescribeAsync(), $"Describe topic '{topic}'", cancellationToken).ConfigureAwait(false);
        var leaderships = await Call(() => controller.PartitionsAsync(topic), $"Describe the partitions of '{topic}'", cancellationToken).ConfigureAwait(false);
        var online = new HashSet<int>();
        foreach (var broker in await DescribeBrokersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (broker.Online)
            {
                online.Add(broker.BrokerId);
            }
        }

        var partitions = new PartitionPlacementDescription[description.Partitions];
        for (var p = 0; p < partitions.Length; p++)
        {
            partitions[p] = p < leaderships.Count && leaderships[p] is { } leadership
                ? new PartitionPlacementDescription(p, leadership.Leader, leadership.Replicas, online.Contains(leadership.Leader), leadership.Isr, leadership.LeaderEpoch, leadership.Target)
                : new PartitionPlacementDescription(p, -1, [], false, [], -1);
        }

        return partitions;
    }

    public Task AlterPartitionReassignmentsAsync(IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>> reassignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reassignments);
        return ForEachAsync(
            reassignments,
            (factory, move) =>
            {
                TopicName.Validate(move.Key.Topic);
                return factory.GetGrain<IControllerGrain>(IControllerGrain.Key).ReassignAsync(move.Key, [.. move.Value]);
            },
            move => $"Move {move.Key} to brokers [{string.Join(',', move.Value)}]",
            cancellationToken);
    }
}
