using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Orlog.Client;

/// <summary>
/// The built-in serializers, byte-compatible with Kafka's Java serializers: UTF-8 strings,
/// big-endian integers (<c>IntegerSerializer</c>, <c>LongSerializer</c>), raw bytes, null.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifiers should not contain type names", Justification = "Confluent.Kafka's names (Serializers.Int32), which its users know.")]
public static class Serializers
{
    public static ISerializer<string> Utf8 { get; } = new Utf8Serializer();

    public static ISerializer<Null> Null { get; } = new NullSerializer();

    public static ISerializer<int> Int32 { get; } = new Int32Serializer();

    public static ISerializer<long> Int64 { get; } = new Int64Serializer();

    /// <summary>Passes the array through; the producer copies it into the batch before ProduceAsync returns.</summary>
    public static ISerializer<byte[]> ByteArray { get; } = new ByteArraySerializer();

    private sealed class Utf8Serializer : ISerializer<string>
    {
        public byte[]? Serialize(string data, SerializationContext context) => data is null ? null : Encoding.UTF8.GetBytes(data);
    }

    private sealed class NullSerializer : ISerializer<Null>
    {
        public byte[]? Serialize(Null data, SerializationContext context) => null;
    }

    private sealed class Int32Serializer : ISerializer<int>
    {
        public byte[]? Serialize(int data, SerializationContext context)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(bytes, data);
            return bytes;
        }
    }

    private sealed class Int64Serializer : ISerializer<long>
    {
        public byte[]? Serialize(long data, SerializationContext context)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, data);
            return bytes;
        }
    }

    private sealed class ByteArraySerializer : ISerializer<byte[]>
    {
        public byte[]? Serialize(byte[] data, SerializationContext context) => data;
    }
}
