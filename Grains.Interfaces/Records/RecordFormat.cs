using System.Text;

namespace Orlog.Records;

/// <summary>
/// Encodes and decodes one record of a v2 batch's records section (the layout is in
/// <see cref="RecordBatchLayout"/>): length varint, then the body it counts.
/// </summary>
internal static partial class RecordFormat
{
    /// <summary>Bytes of a length field followed by the bytes, or of the length -1 for null.</summary>
    public static int SizeOfNullableBytes(ReadOnlyMemory<byte>? bytes) =>
        bytes is { } present ? Varint.SizeOfVarint(present.Length) + present.Length : Varint.SizeOfVarint(-1);

    /// <summary>Size of the record after its length prefix.</summary>
    public static int SizeOfBody(in ProducerRecord record, int offsetDelta, long timestampDelta)
    {
        var size = sizeof(byte)
            + Varint.SizeOfVarlong(timestampDelta)
            + Varint.SizeOfVarint(offsetDelta)
            + SizeOfNullableBytes(record.Key)
            + SizeOfNullableBytes(record.Value);
        var headers = record.Headers;
        var headerCount = headers?.Count ?? 0;
        size += Varint.SizeOfVarint(headerCount);
        for (var i = 0; i < headerCount; i++)
        {
            var header = headers![i];
            var keyBytes = Encoding.UTF8.GetByteCount(header.Key);
            size += Varint.SizeOfVarint(keyBytes) + keyBytes + SizeOfNullableBytes(header.Value);
        }

        return size;
    }

    /// <summary>Writes the whole record, length prefix included, and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, in ProducerRecord record, int offsetDelta, long timestampDelta, int bodySize)
    {
        var position = Varint.WriteVarint(destination, bodySize);
        // Record attributes: Kafka defines no bits yet.
        destination[position++] = 0;
        position += Varint.WriteVarlong(destination[position..], timestampDelta);
        position += Varint.WriteVarint(destination[position..], offsetDelta);
        position += WriteNullableBytes(destination[position..], record.Key);
        position += WriteNullableBytes(destination[position..], record.Value);
        var headers = record.Headers;
        var headerCount = headers?.Count ?? 0;
        position += Varint.WriteVarint(destination[position..], headerCount);
        for (var i = 0; i < headerCount; i++)
        {
            var header = headers![i];
            var keyBytes = Encoding.UTF8.GetByteCount(header.Key);
            position += Varint.WriteVarint(destination[position..], keyBytes);
            position += Encoding.UTF8.GetBytes(header.Key, destination[position..]);
            position += WriteNullableBytes(destination[position..], header.Value);
        }

        return position;
    }

    private static int WriteNullableBytes(Span<byte> destination, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } present)
        {
            return Varint.WriteVarint(destination, -1);
        }

        var written = Varint.WriteVarint(destination, present.Length);
        present.Span.CopyTo(destination[written..]);
        return written + present.Length;
    }
}
