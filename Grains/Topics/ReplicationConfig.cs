namespace Orlog.Topics;

/// <summary>A topic's replication settings.</summary>
/// <param name="MinInSyncReplicas"><c>min.insync.replicas</c>: an <c>acks=all</c> produce needs at least this many in-sync replicas.</param>
/// <param name="UncleanLeaderElection"><c>unclean.leader.election.enable</c>: with no in-sync replica live, an out-of-sync one may lead (losing what it missed).</param>
public sealed record ReplicationConfig(int MinInSyncReplicas, bool UncleanLeaderElection);
