namespace Orlog.Records;

/// <summary>One record as a producer hands it to <see cref="RecordBatchBuilder"/>.</summary>
/// <remarks>
/// Holds references to the caller's memory; the builder copies the bytes during
/// <see cref="RecordBatchBuilder.Append(in ProducerRecord)"/>, so the caller may reuse them after.
/// </remarks>
public readonly record struct ProducerRecord
{
    public ProducerRecord(long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, IReadOnlyList<RecordHeader>? headers = null)
    {
        Timestamp = timestamp;
        Key = key;
        Value = value;
        Headers = headers;
    }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    /// <summary>The key, or null (written as length -1).</summary>
    public ReadOnlyMemory<byte>? Key { get; }

    /// <summary>The value, or null (written as length -1; a tombstone under compaction).</summary>
    public ReadOnlyMemory<byte>? Value { get; }

    /// <summary>The headers, or null for none.</summary>
    public IReadOnlyList<RecordHeader>? Headers { get; }
}
