using Orlog.Errors;

namespace Orlog.Records;

/// <summary>
/// The decoding half: each reader consumes its field from the front of <c>data</c> and
/// refuses, with CORRUPT_MESSAGE, any field that runs past the bytes it is given.
/// </summary>
internal static partial class RecordFormat
{
    /// <summary>Decodes the record at the front of <paramref name="records"/> and moves past it.</summary>
    public static Record ReadRecord(scoped ref ReadOnlySpan<byte> records, RecordContext context, int index)
    {
        var length = ReadVarint(ref records);
        if (length < 0 || length > records.Length)
        {
            throw Corrupt($"record {index} declares a length of {length} bytes but {records.Length} remain in the batch");
        }

        var body = records[..length];
        records = records[length..];

        if (body.IsEmpty)
        {
            throw Corrupt($"record {index} is empty");
        }

        var attributes = body[0];
        body = body[1..];
        var timestampDelta = ReadVarlong(ref body);
        var offsetDelta = ReadVarint(ref body);
        var key = ReadNullableBytes(ref body, out var isKeyNull, "key", index);
        var value = ReadNullableBytes(ref body, out var isValueNull, "value", index);
        var headerCount = ReadVarint(ref body);
        if (headerCount < 0)
        {
            throw Corrupt($"record {index} declares {headerCount} headers");
        }

        // Walk the headers once here so that enumerating them later cannot fail.
        var headers = body;
        for (var i = 0; i < headerCount; i++)
        {
            ReadHeaderKey(ref body, index);
            ReadNullableBytes(ref body, out _, "header value", index);
        }

        if (!body.IsEmpty)
        {
            throw Corrupt($"record {index} has {body.Length} bytes after its last header that its length counts");
        }

        var timestamp = context.IsLogAppendTime ? context.MaxTimestamp : context.BaseTimestamp + timestampDelta;
        return new Record(
            context.BaseOffset + offsetDelta,
            offsetDelta,
            timestamp,
            attributes,
            key,
            isKeyNull,
            value,
            isValueNull,
            headers,
            headerCount);
    }

    /// <summary>Reads one header already checked by <see cref="ReadRecord"/>.</summary>
    public static RecordHeaderView ReadHeader(scoped ref ReadOnlySpan<byte> headers)
    {
        var key = ReadHeaderKey(ref headers, -1);
        var value = ReadNullableBytes(ref headers, out var isValueNull, "header value", -1);
        return new RecordHeaderView(key, value, isValueNull);
    }

    private static ReadOnlySpan<byte> ReadHeaderKey(scoped ref ReadOnlySpan<byte> data, int index)
    {
        var key = ReadNullableBytes(ref data, out var isNull, "header key", index);
        if (isNull)
        {
            throw Corrupt($"record {index} has a header with a null key");
        }

        return key;
    }

    private static int ReadVarint(ref ReadOnlySpan<byte> data)
    {
        var value = Varint.ReadVarint(data, out var read);
        data = data[read..];
        return value;
    }

    private static long ReadVarlong(ref ReadOnlySpan<byte> data)
    {
        var value = Varint.ReadVarlong(data, out var read);
        data = data[read..];
        return value;
    }

    private static ReadOnlySpan<byte> ReadNullableBytes(scoped ref ReadOnlySpan<byte> data, out bool isNull, string field, int index)
    {
        var length = ReadVarint(ref data);
        isNull = length == -1;
        if (isNull)
        {
            return default;
        }

        if (length < 0 || length > data.Length)
        {
            throw Corrupt($"record {index} declares a {field} of {length} bytes but {data.Length} remain in the record");
        }

        var bytes = data[..length];
        data = data[length..];
        return bytes;
    }

    private static OrlogException Corrupt(string what) =>
        new(ErrorCode.CorruptMessage, $"Malformed record data: {what}.");
}
