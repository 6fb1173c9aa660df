using Orlog.Errors;

namespace Orlog.Client;

/// <summary>A message could not be produced; <see cref="OrlogException.Code"/> says why, <see cref="DeliveryResult"/> which message.</summary>
public sealed class ProduceException<TKey, TValue> : OrlogException
{
    public ProduceException(OrlogException error, DeliveryResult<TKey, TValue> deliveryResult)
        : base(error?.Code ?? ErrorCode.UnknownServerError, Describe(error, deliveryResult), error!)
    {
        DeliveryResult = deliveryResult;
    }

    public DeliveryResult<TKey, TValue> DeliveryResult { get; }

    private static string Describe(OrlogException? error, DeliveryResult<TKey, TValue> result)
    {
        var message = error?.Message ?? "unknown error";

        // The inner message already starts with its code, which this exception's message adds again.
        var bracket = message.StartsWith('[') ? message.IndexOf("] ", StringComparison.Ordinal) : -1;
        return $"Producing to {result.Topic}{(result.Partition >= 0 ? $"-{result.Partition}" : string.Empty)} failed: {(bracket > 0 ? message[(bracket + 2)..] : message)}";
    }
}
