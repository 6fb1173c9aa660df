namespace Orlog.Cluster;

/// <summary>
/// Kafka's leader election rules as pure functions over a partition's leadership: the controller
/// applies them when brokers come and go and when a leader changes the ISR.
/// </summary>
public static class LeaderElection
{
    /// <summary>
    /// The leadership once the live brokers are <paramref name="live"/>: dead brokers leave the ISR; a dead
    /// leader is replaced by the first live in-sync replica (in replica order), by any live replica when
    /// <paramref name="unclean"/> allows it, or by none (the partition is offline and keeps its ISR: those are
    /// the brokers that may lead again); a live preferred replica in the ISR takes its leadership back.
    /// Returns <paramref name="current"/> itself when nothing changes.
    /// </summary>
    public static PartitionLeadership OnBrokersChanged(PartitionLeadership current, IReadOnlySet<int> live, bool unclean)
    {
        var liveIsr = Array.FindAll(current.Isr, live.Contains);
        if (current.Leader >= 0 && live.Contains(current.Leader))
        {
            return PreferPreferred(liveIsr.Length == current.Isr.Length ? current : Changed(current, current.Leader, liveIsr), live);
        }

        var candidate = Array.Find(current.Replicas, r => live.Contains(r) && Array.IndexOf(liveIsr, r) >= 0);
        if (liveIsr.Length > 0)
        {
            return PreferPreferred(Changed(current, candidate, liveIsr), live);
        }

        if (unclean && Array.Exists(current.Replicas, live.Contains))
        {
            var any = Array.Find(current.Replicas, live.Contains);
            return Changed(current, any, [any]);
        }

        return current.Leader < 0 ? current : Changed(current, -1, current.Isr);
    }

    /// <summary>
    /// The leadership after the leader set the ISR to <paramref name="isr"/>; when that brings the preferred
    /// replica back in sync (and it is live), it leads again.
    /// </summary>
    public static PartitionLeadership OnIsrChanged(PartitionLeadership current, int[] isr, IReadOnlySet<int> live) =>
        PreferPreferred(current with { Isr = isr, Version = current.Version + 1 }, live);

    /// <summary>The preferred replica (the first) leads when it is live and in sync; otherwise <paramref name="current"/> itself.</summary>
    public static PartitionLeadership PreferPreferred(PartitionLeadership current, IReadOnlySet<int> live)
    {
        var preferred = current.Replicas[0];
        return preferred != current.Leader && live.Contains(preferred) && current.InSync(preferred)
            ? Changed(current, preferred, current.Isr)
            : current;
    }

    /// <summary>A new leader (or the same one with another ISR): the epoch moves only when the leader does.</summary>
    internal static PartitionLeadership Changed(PartitionLeadership current, int leader, int[] isr) =>
        current with { Leader = leader, LeaderEpoch = leader == current.Leader ? current.LeaderEpoch : current.LeaderEpoch + 1, Isr = isr, Version = current.Version + 1 };
}
