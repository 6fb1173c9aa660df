namespace Orlog.Records;

/// <summary>What idempotent producers and brokers agree on, so a request sent again is recognised whole.</summary>
public static class IdempotenceLimits
{
    /// <summary>The most batches an idempotent producer sends to a partition in one request.</summary>
    public const int MaxBatchesPerRequest = 32;

    /// <summary>The batches a broker remembers per producer and partition: two requests' worth.</summary>
    public const int RememberedBatches = 2 * MaxBatchesPerRequest;
}
