using Orleans;
using Orleans.Concurrency;

namespace Orlog.Partitions;

/// <summary>A test grain that produces from inside the silo, to see whether the batch buffer crossed by reference.</summary>
[Alias("orlog.test.produce-probe")]
public interface IProduceProbeGrain : IGrainWithStringKey
{
    /// <summary>Produces <paramref name="batch"/> to the partition and returns the base offset now written in the probe's own buffer.</summary>
    [Alias("produce")]
    Task<(long Assigned, long SeenInCallersBuffer)> ProduceAsync(string partitionKey, byte[] batch);
}

public sealed class ProduceProbeGrain : Grain, IProduceProbeGrain
{
    public async Task<(long Assigned, long SeenInCallersBuffer)> ProduceAsync(string partitionKey, byte[] batch)
    {
        var result = await GrainFactory.GetGrain<IPartitionGrain>(partitionKey).ProduceAsync(new Immutable<byte[]>(batch), Acks.Leader);
        return (result.BaseOffset, new Records.RecordBatchHeader(batch).BaseOffset);
    }
}
