namespace Orlog.Records;

/// <summary>The batch header fields a record's offset and timestamp are relative to.</summary>
internal readonly record struct RecordContext(long BaseOffset, long BaseTimestamp, long MaxTimestamp, bool IsLogAppendTime);
