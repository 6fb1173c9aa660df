namespace Orlog.Client;

/// <summary>A record as the application sees it: key, value, timestamp and headers.</summary>
public class Message<TKey, TValue>
{
    public TKey Key { get; set; } = default!;

    public TValue Value { get; set; } = default!;

    /// <summary>When producing, <see cref="Timestamp.Default"/> (the default) means "now, by the producer's clock".</summary>
    public Timestamp Timestamp { get; set; } = Timestamp.Default;

    /// <summary>Null for none.</summary>
    public Headers? Headers { get; set; }
}
