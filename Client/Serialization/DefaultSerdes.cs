using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Picks a built-in serializer or deserializer for a type when the builder was given none.</summary>
internal static class DefaultSerdes
{
    public static ISerializer<T> Serializer<T>(MessageComponentType component)
    {
        object? serializer = typeof(T) switch
        {
            var t when t == typeof(string) => Serializers.Utf8,
            var t when t == typeof(byte[]) => Serializers.ByteArray,
            var t when t == typeof(Null) => Serializers.Null,
            var t when t == typeof(int) => Serializers.Int32,
            var t when t == typeof(long) => Serializers.Int64,
            _ => null,
        };
        return serializer as ISerializer<T> ?? throw new OrlogException(
            ErrorCode.InvalidConfig,
            $"No built-in {component.ToString().ToLowerInvariant()} serializer for {typeof(T).Name}: set one with Set{component}Serializer (built-ins: string, byte[], Null, int, long).");
    }

    public static IDeserializer<T> Deserializer<T>(MessageComponentType component)
    {
        object? deserializer = typeof(T) switch
        {
            var t when t == typeof(string) => Deserializers.Utf8,
            var t when t == typeof(byte[]) => Deserializers.ByteArray,
            var t when t == typeof(Null) => Deserializers.Null,
            var t when t == typeof(Ignore) => Deserializers.Ignore,
            var t when t == typeof(int) => Deserializers.Int32,
            var t when t == typeof(long) => Deserializers.Int64,
            _ => null,
        };
        return deserializer as IDeserializer<T> ?? throw new OrlogException(
            ErrorCode.InvalidConfig,
            $"No built-in {component.ToString().ToLowerInvariant()} deserializer for {typeof(T).Name}: set one with Set{component}Deserializer (built-ins: string, byte[], Null, Ignore, int, long).");
    }
}
