namespace Orlog.Client;

/// <summary>Turns a key or value into bytes for the producer.</summary>
/// <remarks>Called on the thread that produces; must be thread-safe when one producer is shared.</remarks>
public interface ISerializer<in T>
{
    /// <returns>The bytes, or null for a null key or value (a tombstone).</returns>
    byte[]? Serialize(T data, SerializationContext context);
}
