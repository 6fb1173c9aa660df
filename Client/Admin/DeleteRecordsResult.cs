namespace Orlog.Client;

/// <summary>A partition after DeleteRecords: its new log start (low watermark).</summary>
public readonly record struct DeleteRecordsResult(TopicPartition TopicPartition, Offset LowWatermark);
