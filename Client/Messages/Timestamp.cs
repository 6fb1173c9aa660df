using Orlog.Records;

namespace Orlog.Client;

/// <summary>A record's timestamp: milliseconds since the Unix epoch, and who set it.</summary>
public readonly record struct Timestamp(long UnixTimestampMs, TimestampType Type)
{
    /// <summary>Kafka's "no timestamp" (-1): the producer stamps the record with its clock.</summary>
    public static Timestamp Default => new(-1, TimestampType.CreateTime);

    public Timestamp(DateTimeOffset time)
        : this(time.ToUnixTimeMilliseconds(), TimestampType.CreateTime)
    {
    }

    public DateTime UtcDateTime => DateTimeOffset.FromUnixTimeMilliseconds(UnixTimestampMs).UtcDateTime;
}
