namespace Orlog.Client;

/// <summary>Turns the bytes of a key or value back into a <typeparamref name="T"/> for the consumer.</summary>
public interface IDeserializer<out T>
{
    /// <param name="data">Borrowed from the fetched batch for the duration of the call: copy what you keep.</param>
    /// <param name="isNull">True for a null key or value (then <paramref name="data"/> is empty).</param>
    T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context);
}
