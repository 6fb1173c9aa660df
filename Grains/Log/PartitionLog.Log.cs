using Microsoft.Extensions.Logging;

namespace Orlog.Log;

/// <summary>Operator-facing log events of a partition log: one line per event that matters, none per record.</summary>
public sealed partial class PartitionLog
{
    private void LogOpened()
    {
        if (Recovery.LostData)
        {
            LogRecoveredWithLoss(_directory, Recovery.Describe(), Recovery.LogStartOffset, Recovery.LogEndOffset);
        }
        else
        {
            LogOpenedCleanly(_directory, Recovery.CleanShutdown, Recovery.LogStartOffset, Recovery.LogEndOffset, Recovery.IndexesRebuilt);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Opened log {Directory} (clean shutdown: {Clean}); offsets {LogStartOffset}..{LogEndOffset}, {IndexesRebuilt} index(es) rebuilt")]
    private partial void LogOpenedCleanly(string directory, bool clean, long logStartOffset, long logEndOffset, int indexesRebuilt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Recovered log {Directory} after an unclean stop: {Report}; offsets now {LogStartOffset}..{LogEndOffset}")]
    private partial void LogRecoveredWithLoss(string directory, string report, long logStartOffset, long logEndOffset);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Rolled a new segment at offset {BaseOffset} ({Reason})")]
    private partial void LogRolled(long baseOffset, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Deleted {Count} segment(s) ({Reason}); log start offset is now {LogStartOffset}")]
    private partial void LogSegmentsDeleted(int count, string reason, long logStartOffset);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Truncated to offset {Offset}; log end offset is now {LogEndOffset}")]
    private partial void LogTruncated(long offset, long logEndOffset);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Emptied the log and restarted it at offset {Offset}, the leader's log start")]
    private partial void LogRestarted(long offset);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "A write to the log failed; the partition refuses appends until it is reopened")]
    private partial void LogWriteFailed(Exception error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Closed log (clean: {Clean})")]
    private partial void LogClosed(bool clean);
}
