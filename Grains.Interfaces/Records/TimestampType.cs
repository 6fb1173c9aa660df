namespace Orlog.Records;

/// <summary>Bit 3 of the batch attributes: who set the timestamps.</summary>
public enum TimestampType : byte
{
    /// <summary>The producer's clock (Kafka's default).</summary>
    CreateTime = 0,

    /// <summary>The broker's clock at append; the broker stamps <c>maxTimestamp</c>.</summary>
    LogAppendTime = 1,
}
