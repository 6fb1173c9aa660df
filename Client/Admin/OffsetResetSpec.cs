using System.Globalization;

namespace Orlog.Client;

/// <summary>
/// Where <see cref="IAdminClient.ResetConsumerGroupOffsetsAsync"/> moves a group's offsets, as the
/// <c>--to-earliest</c>, <c>--to-latest</c>, <c>--to-datetime</c>, <c>--shift-by</c> and
/// <c>--to-offset</c> options of <c>kafka-consumer-groups --reset-offsets</c>.
/// </summary>
/// <remarks>
/// Every target is clamped into the partition's [log start, log end], as Kafka's tool does, so a
/// reset never leaves the group at an offset its consumers would have to reset again.
/// </remarks>
public sealed class OffsetResetSpec
{
    private readonly OffsetResetKind _kind;

    /// <summary>The timestamp (ms since the Unix epoch), the shift or the offset; 0 for earliest and latest.</summary>
    private readonly long _value;

    private OffsetResetSpec(OffsetResetKind kind, long value)
    {
        _kind = kind;
        _value = value;
    }

    private enum OffsetResetKind
    {
        Earliest,
        Latest,
        DateTime,
        ShiftBy,
        Offset,
    }

    /// <summary>For <see cref="ToDateTime"/>: the time to look up (ms since the Unix epoch); else null.</summary>
    internal long? Timestamp => _kind == OffsetResetKind.DateTime ? _value : null;

    /// <summary>True when the target depends on the group's committed offsets.</summary>
    internal bool NeedsCommittedOffsets => _kind == OffsetResetKind.ShiftBy;

    /// <summary>The log start of each partition: the earliest record still kept.</summary>
    public static OffsetResetSpec ToEarliest() => new(OffsetResetKind.Earliest, 0);

    /// <summary>The log end of each partition: only records produced from now on.</summary>
    public static OffsetResetSpec ToLatest() => new(OffsetResetKind.Latest, 0);

    /// <summary>
    /// The first record at or after <paramref name="time"/>; the log end where there is none (as
    /// kafka-consumer-groups). A time before the Unix epoch means the log start.
    /// </summary>
    public static OffsetResetSpec ToDateTime(DateTimeOffset time) => new(OffsetResetKind.DateTime, Math.Max(0, time.ToUnixTimeMilliseconds()));

    /// <summary>
    /// The committed offset moved by <paramref name="n"/> (negative: back); from the log start where
    /// the group has committed nothing. Clamped into the log.
    /// </summary>
    public static OffsetResetSpec ShiftBy(long n) => new(OffsetResetKind.ShiftBy, n);

    /// <summary>The same offset on every partition, clamped into each partition's log.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    public static OffsetResetSpec ToOffset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new(OffsetResetKind.Offset, offset);
    }

    /// <summary>The target for one partition, given its log start and end and the group's committed offset there.</summary>
    /// <param name="foundByTime">For <see cref="ToDateTime"/>: what ListOffsets found for the time, -1 for nothing.</param>
    internal long Resolve(long logStart, long logEnd, long? committed, long foundByTime)
    {
        var target = _kind switch
        {
            OffsetResetKind.Earliest => logStart,
            OffsetResetKind.Latest => logEnd,
            OffsetResetKind.DateTime => foundByTime < 0 ? logEnd : foundByTime,
            OffsetResetKind.ShiftBy => Shift(committed ?? logStart, _value),
            _ => _value,
        };
        return Math.Clamp(target, logStart, logEnd);
    }

    public override string ToString() => _kind switch
    {
        OffsetResetKind.Earliest => "to-earliest",
        OffsetResetKind.Latest => "to-latest",
        OffsetResetKind.DateTime => $"to-datetime {DateTimeOffset.FromUnixTimeMilliseconds(_value).ToString("O", CultureInfo.InvariantCulture)}",
        OffsetResetKind.ShiftBy => $"shift-by {_value.ToString(CultureInfo.InvariantCulture)}",
        _ => $"to-offset {_value.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary><paramref name="from"/> + <paramref name="n"/>, saturating instead of overflowing (<paramref name="from"/> is never negative).</summary>
    private static long Shift(long from, long n) => n > 0 && from > long.MaxValue - n ? long.MaxValue : from + n;
}
