using System.Text.Json;

namespace Orlog.Streams;

/// <summary>Events as UTF-8 JSON; a record without a value is the default of the event type.</summary>
public sealed class JsonStreamSerializer(JsonSerializerOptions? options = null) : IOrlogStreamSerializer
{
    private readonly JsonSerializerOptions _options = options ?? JsonSerializerOptions.Web;

    public byte[] Serialize<T>(T item) => JsonSerializer.SerializeToUtf8Bytes(item, _options);

    public T Deserialize<T>(ReadOnlySpan<byte> value, bool isNull) => isNull ? default! : JsonSerializer.Deserialize<T>(value, _options)!;
}
