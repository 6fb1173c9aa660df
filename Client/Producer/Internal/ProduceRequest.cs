namespace Orlog.Client;

/// <summary>Batches of one partition sent together in one grain call.</summary>
internal sealed class ProduceRequest(PartitionQueue queue)
{
    public PartitionQueue Queue => queue;

    public List<ProducerBatch> Batches { get; } = [];
}
