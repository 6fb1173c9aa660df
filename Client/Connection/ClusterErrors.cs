using Orleans.Runtime.Messaging;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Client;

/// <summary>
/// Turns what a grain call can throw into an <see cref="OrlogException"/>, so that callers branch on
/// Kafka-style codes only: an Orleans response timeout is REQUEST_TIMED_OUT, a silo or gateway that
/// cannot be reached is LEADER_NOT_AVAILABLE (both retriable), anything else unknown is UNKNOWN_SERVER_ERROR.
/// </summary>
internal static class ClusterErrors
{
    public static OrlogException Translate(Exception error, string operation) => error switch
    {
        OrlogException orlog => orlog,
        TimeoutException => new OrlogException(
            ErrorCode.RequestTimedOut,
            $"{operation} got no answer within the request timeout: {error.Message}",
            error),
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException => new OrlogException(
            ErrorCode.LeaderNotAvailable,
            $"{operation} could not reach the broker: {error.Message}",
            error),
        _ => new OrlogException(ErrorCode.UnknownServerError, $"{operation} failed: {error.Message}", error),
    };
}
