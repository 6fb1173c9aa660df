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

    /// <summary>
    /// Produces <paramref name="batch"/> from a buffer rented from the shared pool, as the client library does,
    /// and returns the error code the broker answered with (NONE on success) and whether the broker released the buffer.
    /// </summary>
    [Alias("produce-rented")]
    Task<(Errors.ErrorCode Answer, bool ReleasedByBroker)> ProduceRentedAsync(string partitionKey, byte[] batch);
}

public sealed class ProduceProbeGrain : Grain, IProduceProbeGrain
{
    public async Task<(long Assigned, long SeenInCallersBuffer)> ProduceAsync(string partitionKey, byte[] batch)
    {
        var result = await GrainFactory.GetGrain<IPartitionGrain>(partitionKey).ProduceAsync(new Immutable<byte[]>(batch), Acks.Leader);
        return (result.BaseOffset, new Records.RecordBatchHeader(batch).BaseOffset);
    }

    public async Task<(Errors.ErrorCode Answer, bool ReleasedByBroker)> ProduceRentedAsync(string partitionKey, byte[] batch)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(batch.Length);
        batch.CopyTo(buffer, 0);
        var batches = ProduceBatches.FromRented(buffer, batch.Length);
        try
        {
            await GrainFactory.GetGrain<IPartitionGrain>(partitionKey).ProduceAsync(batches, Acks.Leader);
            return (Errors.ErrorCode.None, batches.IsMissing);
        }
        catch (Errors.OrlogException error)
        {
            return (error.Code, batches.IsMissing);
        }
    }
}
