using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Which produce errors are retried, and how long to back off, as Kafka's producer does.</summary>
/// <remarks>
/// Retriable: REQUEST_TIMED_OUT, NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, NOT_ENOUGH_REPLICAS(_AFTER_APPEND),
/// KAFKA_STORAGE_ERROR, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH — conditions that a moved leader,
/// a caught-up replica or simply time can clear. Everything else fails the batch at once:
/// MESSAGE_TOO_LARGE, CORRUPT_MESSAGE, INVALID_RECORD, UNSUPPORTED_COMPRESSION_TYPE, INVALID_REQUIRED_ACKS
/// and, unlike Kafka, UNKNOWN_TOPIC_OR_PARTITION (Orlog has no metadata lag to wait out: the topic is
/// not there; the producer forgets its partition count so a recreated topic is picked up).
/// </remarks>
internal static class RetryPolicy
{
    public static bool IsRetriable(ErrorCode code) => code is
        ErrorCode.RequestTimedOut or
        ErrorCode.NotLeaderOrFollower or
        ErrorCode.LeaderNotAvailable or
        ErrorCode.NotEnoughReplicas or
        ErrorCode.NotEnoughReplicasAfterAppend or
        ErrorCode.KafkaStorageError or
        ErrorCode.FencedLeaderEpoch or
        ErrorCode.UnknownLeaderEpoch;

    /// <summary>
    /// Kafka's exponential backoff (KIP-580): <c>backoff * 2^(attempt - 1)</c>, capped at
    /// <paramref name="maxMs"/>, with ±20% jitter so that many clients do not retry in step.
    /// </summary>
    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="jitter">A number in [0, 1).</param>
    public static TimeSpan Backoff(int attempt, int baseMs, int maxMs, double jitter)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ms = Math.Min((double)baseMs * (1L << exponent), maxMs);
        return TimeSpan.FromMilliseconds(ms * (0.8 + (0.4 * jitter)));
    }
}
