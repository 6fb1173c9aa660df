using System.Text;

namespace Orlog.Streams;

/// <summary>Events are the record values themselves: <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, or <c>string</c> as UTF-8.</summary>
public sealed class RawStreamSerializer : IOrlogStreamSerializer
{
    public byte[] Serialize<T>(T item) => item switch
    {
        null => [],
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        string text => Encoding.UTF8.GetBytes(text),
        _ => throw Unsupported(typeof(T)),
    };

    public T Deserialize<T>(ReadOnlySpan<byte> value, bool isNull)
    {
        if (isNull)
        {
            return default!;
        }

        object result = typeof(T) == typeof(byte[]) ? value.ToArray()
            : typeof(T) == typeof(ReadOnlyMemory<byte>) ? new ReadOnlyMemory<byte>(value.ToArray())
            : typeof(T) == typeof(string) || typeof(T) == typeof(object) ? Encoding.UTF8.GetString(value)
            : throw Unsupported(typeof(T));
        return (T)result;
    }

    private static NotSupportedException Unsupported(Type type) =>
        new($"The raw stream serializer carries byte[], ReadOnlyMemory<byte> and string events, not {type}; use the JSON serializer or your own IOrlogStreamSerializer.");
}
