namespace Orlog.Records;

/// <summary>A header a producer attaches to a record: a UTF-8 key and a value that may be null.</summary>
public readonly record struct RecordHeader
{
    public RecordHeader(string key, ReadOnlyMemory<byte>? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Value = value;
    }

    public string Key { get; }

    /// <summary>The value, or null for a header without one (written as length -1).</summary>
    public ReadOnlyMemory<byte>? Value { get; }
}
