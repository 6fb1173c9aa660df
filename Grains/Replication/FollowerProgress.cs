namespace Orlog.Replication;

/// <summary>What a leader knows of one follower: how far its log reaches and when it last caught up.</summary>
public sealed class FollowerProgress(int broker, long now)
{
    public int Broker { get; } = broker;

    /// <summary>The follower's log end offset as it last answered; -1 until it follows this leader (again).</summary>
    public long EndOffset { get; set; } = -1;

    /// <summary>When the follower last held everything the leader's log held (a <see cref="TimeProvider"/> timestamp).</summary>
    public long CaughtUpAt { get; set; } = now;

    /// <summary>Set when the leadership it was pushed under ends: its replication loop stops.</summary>
    public bool Stopped { get; set; }

    /// <summary>Whether the last attempt to reach it failed (logged once per outage).</summary>
    public bool Unreachable { get; set; }
}
