namespace Orlog.Client;

/// <summary>Batches of one partition sent together in one grain call.</summary>
internal sealed class ProduceRequest(PartitionQueue queue)
{
    public PartitionQueue Queue => queue;

    public List<ProducerBatch> Batches { get; } = [];

    /// <summary>The bytes of the attempt in flight; released when the broker answered it with success.</summary>
    public Partitions.ProduceBatches? Sent { get; set; }
}
