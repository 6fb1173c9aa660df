namespace Orlog.Client;

/// <summary>Kafka's <c>auto.offset.reset</c>: what a consumer does when its position is not in the log.</summary>
public enum AutoOffsetReset
{
    /// <summary>Move to the log end: only records produced from now on.</summary>
    Latest = 0,

    /// <summary>Move to the log start.</summary>
    Earliest = 1,

    /// <summary>Kafka's <c>none</c>: raise OFFSET_OUT_OF_RANGE from Consume; the app must Seek.</summary>
    Error = 2,
}
