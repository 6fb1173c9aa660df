using Orleans;

namespace Orlog.Groups;

/// <summary>The answer to a heartbeat: the group's generation, and whether the member should sync.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.heartbeat-result")]
public readonly record struct HeartbeatResult([property: Id(0)] int Generation, [property: Id(1)] bool SyncNeeded);
