using Orlog.Errors;

namespace Orlog.Client;

/// <summary>
/// Consuming a partition failed: OFFSET_OUT_OF_RANGE under <see cref="AutoOffsetReset.Error"/>,
/// UNKNOWN_TOPIC_OR_PARTITION, CORRUPT_MESSAGE, or INVALID_RECORD when a key or value could not be
/// deserialized (the consumer has then moved past that record).
/// </summary>
public sealed class ConsumeException : OrlogException
{
    public ConsumeException(TopicPartitionOffset position, OrlogException error)
        : base(error?.Code ?? ErrorCode.UnknownServerError, $"Consuming {position.TopicPartition} at offset {position.Offset} failed: {Strip(error?.Message)}", error!)
    {
        Position = position;
    }

    /// <summary>The partition, and the offset the consumer was at.</summary>
    public TopicPartitionOffset Position { get; }

    private static string Strip(string? message)
    {
        message ??= "unknown error";
        var bracket = message.StartsWith('[') ? message.IndexOf("] ", StringComparison.Ordinal) : -1;
        return bracket > 0 ? message[(bracket + 2)..] : message;
    }
}
