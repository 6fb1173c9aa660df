using Orleans;

namespace Orlog.Errors;

/// <summary>A read or delete asked for an offset outside the log; carries the valid range so the caller can seek.</summary>
[GenerateSerializer]
[Alias("orlog.offset-out-of-range")]
public sealed class OffsetOutOfRangeException : OrlogException
{
    public OffsetOutOfRangeException(long requestedOffset, long logStartOffset, long logEndOffset)
        : base(
            ErrorCode.OffsetOutOfRange,
            $"Offset {requestedOffset} is out of range; the log holds offsets {logStartOffset} (inclusive) to {logEndOffset} (exclusive). Seek to an offset in that range.")
    {
        RequestedOffset = requestedOffset;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
    }

    [Id(0)]
    public long RequestedOffset { get; }

    [Id(1)]
    public long LogStartOffset { get; }

    [Id(2)]
    public long LogEndOffset { get; }
}
