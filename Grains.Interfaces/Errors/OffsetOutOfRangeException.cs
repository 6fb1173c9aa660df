namespace Orlog.Errors;

/// <summary>A read or delete asked for an offset outside the log; carries the valid range so the caller can seek.</summary>
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

    public long RequestedOffset { get; }

    public long LogStartOffset { get; }

    public long LogEndOffset { get; }
}
