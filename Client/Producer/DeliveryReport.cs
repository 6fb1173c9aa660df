using Orlog.Errors;

namespace Orlog.Client;

/// <summary>What a <see cref="IProducer{TKey, TValue}.Produce(string, Message{TKey, TValue}, Action{DeliveryReport{TKey, TValue}})"/> callback receives: the result, or the error.</summary>
public sealed class DeliveryReport<TKey, TValue> : DeliveryResult<TKey, TValue>
{
    /// <summary>Null when the message was delivered.</summary>
    public OrlogException? Error { get; init; }

    public bool IsError => Error is not null;
}
