namespace Orlog.Streams;

/// <summary>
/// Turns a stream event into a record value and a record value into the event a subscriber asked for.
/// Deserializing happens where the event is delivered, with the subscriber's event type, so records
/// written by any producer (the client library, the CLI) reach grain subscribers as their own types.
/// </summary>
public interface IOrlogStreamSerializer
{
    /// <summary>The record value for an event published to a stream.</summary>
    byte[] Serialize<T>(T item);

    /// <summary>The event of type <typeparamref name="T"/> for a record value (null: the record has no value).</summary>
    T Deserialize<T>(ReadOnlySpan<byte> value, bool isNull);
}

/// <summary>The built-in serializers.</summary>
public static class OrlogStreamSerializers
{
    /// <summary>UTF-8 JSON (System.Text.Json, web defaults: camelCase names, case-insensitive reading).</summary>
    public static IOrlogStreamSerializer Json { get; } = new JsonStreamSerializer();

    /// <summary>The bytes themselves: events are <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, or <c>string</c> (UTF-8).</summary>
    public static IOrlogStreamSerializer Raw { get; } = new RawStreamSerializer();
}
