using Orleans;

namespace Orlog.Errors;

/// <summary>
/// The one exception type Orlog raises for a failure a caller can act on: it carries a
/// Kafka-style <see cref="ErrorCode"/> and a message that says what to do.
/// </summary>
/// <remarks>Serializable across grain calls: a client sees the same code and message the broker raised.</remarks>
[GenerateSerializer]
[Alias("orlog.error")]
public class OrlogException : Exception
{
    public OrlogException(ErrorCode code, string message)
        : base($"[{code.KafkaName()}] {message}")
    {
        Code = code;
    }

    public OrlogException(ErrorCode code, string message, Exception innerException)
        : base($"[{code.KafkaName()}] {message}", innerException)
    {
        Code = code;
    }

    [Id(0)]
    public ErrorCode Code { get; }
}
