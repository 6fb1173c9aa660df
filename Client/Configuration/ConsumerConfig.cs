namespace Orlog.Client;

/// <summary>Consumer settings, named and defaulted as Kafka's consumer configs (docs/CLIENT.md).</summary>
public sealed class ConsumerConfig : ClientConfig
{
    public const int DefaultFetchMinBytes = 1;
    public const int DefaultFetchMaxBytes = 50 * 1024 * 1024;
    public const int DefaultMaxPartitionFetchBytes = 1024 * 1024;
    public const int DefaultFetchMaxWaitMs = 500;
    public const int DefaultRetryBackoffMs = 100;
    public const int DefaultRetryBackoffMaxMs = 1000;

    /// <summary>
    /// <c>auto.offset.reset</c>: where to move when the position is outside the log (it was
    /// deleted by retention, or lies past the end). Default latest.
    /// </summary>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Latest;

    /// <summary><c>fetch.min.bytes</c>: the broker waits (up to <see cref="FetchMaxWaitMs"/>) until this much is available. Default 1.</summary>
    public int FetchMinBytes { get; set; } = DefaultFetchMinBytes;

    /// <summary><c>fetch.max.bytes</c>: the most one fetch returns (at least one batch). Default 50 MiB.</summary>
    public int FetchMaxBytes { get; set; } = DefaultFetchMaxBytes;

    /// <summary><c>max.partition.fetch.bytes</c>: the most one fetch returns per partition. Default 1 MiB.</summary>
    public int MaxPartitionFetchBytes { get; set; } = DefaultMaxPartitionFetchBytes;

    /// <summary><c>fetch.max.wait.ms</c>: how long the broker holds a fetch (long poll) waiting for <see cref="FetchMinBytes"/>. Default 500.</summary>
    public int FetchMaxWaitMs { get; set; } = DefaultFetchMaxWaitMs;

    /// <summary><c>check.crcs</c>: verify each fetched batch's CRC-32C before handing out its records. Default true.</summary>
    public bool CheckCrcs { get; set; } = true;

    /// <summary><c>retry.backoff.ms</c>: the wait before a failed fetch is retried; it doubles per attempt. Default 100.</summary>
    public int RetryBackoffMs { get; set; } = DefaultRetryBackoffMs;

    /// <summary><c>retry.backoff.max.ms</c>: the cap of the fetch backoff. Default 1000.</summary>
    public int RetryBackoffMaxMs { get; set; } = DefaultRetryBackoffMaxMs;

    public override void Validate()
    {
        base.Validate();
        Require(Enum.IsDefined(AutoOffsetReset), $"AutoOffsetReset {(int)AutoOffsetReset} is unknown; use Earliest, Latest or Error.");
        Require(FetchMinBytes >= 0, $"FetchMinBytes must not be negative; it is {FetchMinBytes}.");
        Require(FetchMaxBytes > 0, $"FetchMaxBytes must be positive; it is {FetchMaxBytes}.");
        Require(MaxPartitionFetchBytes > 0, $"MaxPartitionFetchBytes must be positive; it is {MaxPartitionFetchBytes}.");
        Require(FetchMaxWaitMs >= 0, $"FetchMaxWaitMs must not be negative; it is {FetchMaxWaitMs}.");
        Require(RetryBackoffMs >= 0, $"RetryBackoffMs must not be negative; it is {RetryBackoffMs}.");
        Require(RetryBackoffMaxMs >= RetryBackoffMs, $"RetryBackoffMaxMs ({RetryBackoffMaxMs}) must be at least RetryBackoffMs ({RetryBackoffMs}).");
    }
}
