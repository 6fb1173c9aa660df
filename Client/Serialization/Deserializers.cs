using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Orlog.Errors;

namespace Orlog.Client;

/// <summary>The built-in deserializers, the counterparts of <see cref="Serializers"/>.</summary>
/// <remarks>A malformed input raises <see cref="OrlogException"/> with INVALID_RECORD.</remarks>
[SuppressMessage("Naming", "CA1720:Identifiers should not contain type names", Justification = "Confluent.Kafka's names (Serializers.Int32), which its users know.")]
public static class Deserializers
{
    /// <summary>UTF-8 text; a null key/value gives null.</summary>
    public static IDeserializer<string> Utf8 { get; } = new Utf8Deserializer();

    /// <summary>Requires the data to be null.</summary>
    public static IDeserializer<Null> Null { get; } = new NullDeserializer();

    /// <summary>Does not look at the data.</summary>
    public static IDeserializer<Ignore> Ignore { get; } = new IgnoreDeserializer();

    /// <summary>Exactly 4 bytes, big-endian.</summary>
    public static IDeserializer<int> Int32 { get; } = new Int32Deserializer();

    /// <summary>Exactly 8 bytes, big-endian.</summary>
    public static IDeserializer<long> Int64 { get; } = new Int64Deserializer();

    /// <summary>A copy of the bytes; null for a null key/value.</summary>
    public static IDeserializer<byte[]> ByteArray { get; } = new ByteArrayDeserializer();

    private static OrlogException Invalid(SerializationContext context, string what) =>
        new(ErrorCode.InvalidRecord, $"The {context.Component.ToString().ToLowerInvariant()} of a record in '{context.Topic}' {what}.");

    private sealed class Utf8Deserializer : IDeserializer<string>
    {
        public string Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null! : Encoding.UTF8.GetString(data);
    }

    private sealed class NullDeserializer : IDeserializer<Null>
    {
        public Null Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null! : throw Invalid(context, $"is {data.Length} bytes where null was expected (Deserializers.Null)");
    }

    private sealed class IgnoreDeserializer : IDeserializer<Ignore>
    {
        public Ignore Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => null!;
    }

    private sealed class Int32Deserializer : IDeserializer<int>
    {
        public int Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
        {
            if (isNull || data.Length != 4)
            {
                throw Invalid(context, isNull ? "is null, not a 4-byte int" : $"is {data.Length} bytes, not a 4-byte int");
            }

            return BinaryPrimitives.ReadInt32BigEndian(data);
        }
    }

    private sealed class Int64Deserializer : IDeserializer<long>
    {
        public long Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
        {
            if (isNull || data.Length != 8)
            {
                throw Invalid(context, isNull ? "is null, not an 8-byte long" : $"is {data.Length} bytes, not an 8-byte long");
            }

            return BinaryPrimitives.ReadInt64BigEndian(data);
        }
    }

    private sealed class ByteArrayDeserializer : IDeserializer<byte[]>
    {
        public byte[] Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? null! : data.ToArray();
    }
}
