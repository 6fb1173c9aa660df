using Orlog.Partitions;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>Producer settings, named and defaulted as Kafka's producer configs (docs/CLIENT.md).</summary>
public sealed class ProducerConfig : ClientConfig
{
    public const int DefaultLingerMs = 5;
    public const int DefaultBatchSize = 16 * 1024;
    public const long DefaultBufferMemory = 32L * 1024 * 1024;
    public const int DefaultMaxBlockMs = 60_000;
    public const int DefaultMaxRequestSize = 1024 * 1024;
    public const int DefaultRetries = int.MaxValue;
    public const int DefaultRetryBackoffMs = 100;
    public const int DefaultRetryBackoffMaxMs = 1000;
    public const int DefaultDeliveryTimeoutMs = 120_000;
    public const int DefaultMaxInFlightRequestsPerPartition = 1;

    /// <summary><c>acks</c>: when the broker acknowledges a produce. Default <see cref="Acks.All"/>, as Kafka 3+.</summary>
    public Acks Acks { get; set; } = Acks.All;

    /// <summary>
    /// <c>linger.ms</c>: how long a batch waits for more records before it is sent, unless it
    /// fills first. Default 5 (Kafka 3.9+); 0 sends as soon as a request slot is free.
    /// </summary>
    public int LingerMs { get; set; } = DefaultLingerMs;

    /// <summary>
    /// <c>batch.size</c>: the size in bytes (uncompressed) at which a partition's batch is closed
    /// and sent. Default 16384 as in Kafka; we recommend 256 KiB to 1 MiB for throughput, because
    /// each batch is one grain call and batching is what amortises the call's cost.
    /// </summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>
    /// <c>buffer.memory</c>: the bytes of records the producer holds before they are acknowledged.
    /// When full, a produce waits up to <see cref="MaxBlockMs"/> for space. Default 32 MiB.
    /// </summary>
    public long BufferMemory { get; set; } = DefaultBufferMemory;

    /// <summary><c>max.block.ms</c>: how long a produce may wait for buffer space or topic metadata. Default 60000.</summary>
    public int MaxBlockMs { get; set; } = DefaultMaxBlockMs;

    /// <summary><c>max.request.size</c>: the largest record and the largest request (batches sent together). Default 1 MiB.</summary>
    public int MaxRequestSize { get; set; } = DefaultMaxRequestSize;

    /// <summary><c>compression.type</c>: the codec of the batches. Default none.</summary>
    public CompressionType CompressionType { get; set; } = CompressionType.None;

    /// <summary>
    /// <c>retries</c>: how often a batch is resent after a retriable error, within
    /// <see cref="DeliveryTimeoutMs"/>. Default <see cref="int.MaxValue"/>, as Kafka; 0 disables retries.
    /// </summary>
    public int Retries { get; set; } = DefaultRetries;

    /// <summary><c>retry.backoff.ms</c>: the wait before the first retry; it doubles per attempt. Default 100.</summary>
    public int RetryBackoffMs { get; set; } = DefaultRetryBackoffMs;

    /// <summary><c>retry.backoff.max.ms</c>: the cap of the exponential backoff. Default 1000.</summary>
    public int RetryBackoffMaxMs { get; set; } = DefaultRetryBackoffMaxMs;

    /// <summary>
    /// <c>delivery.timeout.ms</c>: the upper bound on the time from a produce call to its report,
    /// retries included. Default 120000.
    /// </summary>
    public int DeliveryTimeoutMs { get; set; } = DefaultDeliveryTimeoutMs;

    /// <summary>
    /// <c>max.in.flight.requests.per.connection</c>, per partition here: produce requests a partition
    /// may have outstanding. Default 1, which keeps records in order: unlike a Kafka connection (one
    /// TCP stream), Orleans does not deliver two requests to a grain in the order they were sent, so
    /// with more than 1 a later batch can be appended before an earlier one. Ready batches still go
    /// out together, several in one request, so one in flight costs little throughput.
    /// </summary>
    public int MaxInFlightRequestsPerPartition { get; set; } = DefaultMaxInFlightRequestsPerPartition;

    /// <summary>
    /// <c>enable.idempotence</c>: the producer gets a producer id and numbers its batches per partition, so
    /// the broker writes a retried batch once (after a timeout or a failover) and refuses a gap. Default: on
    /// unless other settings rule it out (acks other than all, more than one request in flight per
    /// partition), as in Kafka 3+; set true, it needs acks=all and one request in flight per partition.
    /// </summary>
    public bool? EnableIdempotence { get; set; }

    /// <summary>Whether idempotence is on: as set, else whenever the other settings allow it.</summary>
    public bool Idempotent => EnableIdempotence ?? (Acks == Acks.All && MaxInFlightRequestsPerPartition == 1);

    /// <summary>How records without an explicit partition are placed. Default <see cref="Client.Partitioner.Murmur2Sticky"/>.</summary>
    public Partitioner Partitioner { get; set; } = Partitioner.Murmur2Sticky;

    public override void Validate()
    {
        base.Validate();
        Require(Enum.IsDefined(Acks), $"Acks must be None (0), Leader (1) or All (-1); it is {(int)Acks}.");
        Require(LingerMs >= 0, $"LingerMs must not be negative; it is {LingerMs}.");
        Require(BatchSize > 0, $"BatchSize must be positive; it is {BatchSize}.");
        Require(MaxRequestSize > 0, $"MaxRequestSize must be positive; it is {MaxRequestSize}.");
        Require(BufferMemory >= MaxRequestSize, $"BufferMemory ({BufferMemory}) must be at least MaxRequestSize ({MaxRequestSize}).");
        Require(MaxBlockMs >= 0, $"MaxBlockMs must not be negative; it is {MaxBlockMs}.");
        Require(Enum.IsDefined(CompressionType), $"CompressionType {(int)CompressionType} is unknown; use None, Gzip, Snappy, Lz4 or Zstd.");
        Require(Retries >= 0, $"Retries must not be negative; it is {Retries}.");
        Require(RetryBackoffMs >= 0, $"RetryBackoffMs must not be negative; it is {RetryBackoffMs}.");
        Require(RetryBackoffMaxMs >= RetryBackoffMs, $"RetryBackoffMaxMs ({RetryBackoffMaxMs}) must be at least RetryBackoffMs ({RetryBackoffMs}).");
        Require(
            DeliveryTimeoutMs >= (long)LingerMs + RequestTimeoutMs,
            $"DeliveryTimeoutMs ({DeliveryTimeoutMs}) must be at least LingerMs + RequestTimeoutMs ({(long)LingerMs + RequestTimeoutMs}), as in Kafka.");
        Require(MaxInFlightRequestsPerPartition > 0, $"MaxInFlightRequestsPerPartition must be positive; it is {MaxInFlightRequestsPerPartition}.");
        Require(Enum.IsDefined(Partitioner), $"Partitioner {(int)Partitioner} is unknown.");
        Require(EnableIdempotence != true || Acks == Acks.All, $"EnableIdempotence needs Acks=All; it is {Acks}.");
        Require(EnableIdempotence != true || MaxInFlightRequestsPerPartition == 1, $"An idempotent producer sends one request per partition at a time (Orleans does not keep call order); MaxInFlightRequestsPerPartition is {MaxInFlightRequestsPerPartition}.");
    }
}
