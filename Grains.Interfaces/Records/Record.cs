namespace Orlog.Records;

/// <summary>One decoded record of a batch.</summary>
/// <remarks>
/// A view into the batch (or into the reader's decompressed copy of it): its spans are valid
/// only until the <see cref="RecordBatchReader"/> that produced it is disposed.
/// </remarks>
public readonly ref struct Record
{
    private readonly ReadOnlySpan<byte> _headers;

    internal Record(
        long offset,
        int offsetDelta,
        long timestamp,
        byte attributes,
        ReadOnlySpan<byte> key,
        bool isKeyNull,
        ReadOnlySpan<byte> value,
        bool isValueNull,
        ReadOnlySpan<byte> headers,
        int headerCount)
    {
        Offset = offset;
        OffsetDelta = offsetDelta;
        Timestamp = timestamp;
        Attributes = attributes;
        Key = key;
        IsKeyNull = isKeyNull;
        Value = value;
        IsValueNull = isValueNull;
        _headers = headers;
        HeaderCount = headerCount;
    }

    /// <summary>The batch's base offset plus <see cref="OffsetDelta"/>.</summary>
    public long Offset { get; }

    public int OffsetDelta { get; }

    /// <summary>
    /// The batch's base timestamp plus the record's delta; for a log-append-time batch the
    /// batch's max timestamp, which the broker stamped, as Kafka reports it.
    /// </summary>
    public long Timestamp { get; }

    /// <summary>The record's own attributes byte; Kafka defines no bits in it yet.</summary>
    public byte Attributes { get; }

    /// <summary>The key; empty when <see cref="IsKeyNull"/>.</summary>
    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    /// <summary>The value; empty when <see cref="IsValueNull"/>.</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    public int HeaderCount { get; }

    public RecordHeaderEnumerator Headers => new(_headers, HeaderCount);
}
