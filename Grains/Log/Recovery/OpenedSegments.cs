using Orlog.Log.Epochs;
using Orlog.Log.Files;

namespace Orlog.Log.Recovery;

/// <summary>What <see cref="LogLoader"/> hands to a new <see cref="PartitionLog"/>.</summary>
internal sealed record OpenedSegments(
    LogFileFactory Files,
    LogSegment[] Segments,
    long LogStartOffset,
    long RecoveryPoint,
    LeaderEpochCache Epochs,
    RecoveryReport Report);
