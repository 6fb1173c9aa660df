namespace Orlog.Errors;

/// <summary>
/// The one exception type Orlog raises for a failure a caller can act on: it carries a
/// Kafka-style <see cref="ErrorCode"/> and a message that says what to do.
/// </summary>
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

    public ErrorCode Code { get; }
}
