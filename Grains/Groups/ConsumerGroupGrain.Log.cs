using Microsoft.Extensions.Logging;

namespace Orlog.Groups;

public sealed partial class ConsumerGroupGrain
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Group {GroupId}: member {MemberId} (instance {InstanceId}) joined; generation {Generation}, rebalanced {Rebalanced}")]
    private partial void LogJoined(string groupId, string memberId, string? instanceId, int generation, bool rebalanced);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Group {GroupId}: member {MemberId} removed because {Reason}; generation {Generation}")]
    private partial void LogLeft(string groupId, string memberId, string reason, int generation);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Group {GroupId}: partition counts of subscribed topics changed; generation {Generation}")]
    private partial void LogPartitionsChanged(string groupId, int generation);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Group {GroupId}: offsets of {Count} partition(s) reset by hand")]
    private partial void LogOffsetsAltered(string groupId, int count);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Group {GroupId} deleted")]
    private partial void LogDeleted(string groupId);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Group {GroupId}: offsets of {Count} partition(s) expired (offsets.retention.minutes)")]
    private partial void LogExpired(string groupId, int count);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Group {GroupId}: {Count} member(s) restored from storage at generation {Generation}")]
    private partial void LogRestored(string groupId, int count, int generation);
}
