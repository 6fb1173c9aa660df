using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Cluster;

/// <summary>
/// Moving a partition to other replicas (Kafka's partition reassignment) as pure functions over its
/// leadership: the new replicas join as followers and catch up from the leader's local log (older
/// segments are in the remote tier already); once all of them are in sync the partition keeps only
/// them, and the first of them leads. The partition serves throughout.
/// </summary>
public static class Reassignment
{
    /// <summary>Starts moving <paramref name="current"/> to <paramref name="target"/>, completing at once when its replicas are in sync already.</summary>
    /// <exception cref="OrlogException">
    /// INVALID_REPLICA_ASSIGNMENT for an empty list, a broker named twice or one not live; REASSIGNMENT_IN_PROGRESS while another runs.
    /// </exception>
    public static PartitionLeadership Start(TopicPartition partition, PartitionLeadership current, int[] target, IReadOnlySet<int> live)
    {
        if (current.Target is { } running)
        {
            throw new OrlogException(ErrorCode.ReassignmentInProgress, $"Partition {partition} is being moved to [{string.Join(',', running)}] already.");
        }

        if (target.Length == 0 || target.Distinct().Count() != target.Length)
        {
            throw new OrlogException(ErrorCode.InvalidReplicaAssignment, $"Replicas [{string.Join(',', target)}] for {partition} must name at least one broker, each once.");
        }

        if (Array.FindIndex(target, b => !live.Contains(b)) is var down and >= 0)
        {
            throw new OrlogException(ErrorCode.InvalidReplicaAssignment, $"Broker {target[down]} is not live; a new replica of {partition} must be able to copy the log now.");
        }

        var replicas = current.Replicas.Concat(target.Where(b => Array.IndexOf(current.Replicas, b) < 0)).ToArray();
        return CompleteIfInSync(current with { Replicas = replicas, Target = target, Version = current.Version + 1 }, live);
    }

    /// <summary>
    /// Once every target replica is in sync, the partition keeps only those, and the first of them leads (a new leader
    /// at the next epoch); returns <paramref name="current"/> itself until then, and when no reassignment runs.
    /// </summary>
    public static PartitionLeadership CompleteIfInSync(PartitionLeadership current, IReadOnlySet<int> live)
    {
        if (current.Target is not { } target || !Array.TrueForAll(target, current.InSync))
        {
            return current;
        }

        var firstLive = Array.FindIndex(target, live.Contains);
        var leader = Array.IndexOf(target, current.Leader) >= 0 ? current.Leader : firstLive >= 0 ? target[firstLive] : -1;
        var moved = LeaderElection.Changed(current with { Replicas = target, Target = null }, leader, Array.FindAll(current.Isr, b => Array.IndexOf(target, b) >= 0));
        return LeaderElection.PreferPreferred(moved, live);
    }
}
