namespace Orlog.Groups.Assignment;

/// <summary>How a consumer group moves partitions between members during a rebalance (KIP-429).</summary>
public enum RebalanceProtocol
{
    /// <summary>Every member gives up all its partitions before the new assignment is handed out.</summary>
    Eager,

    /// <summary>
    /// Members keep the partitions they still own; only those that move are revoked, and they are
    /// handed to their new owner in a follow-up rebalance.
    /// </summary>
    Cooperative,
}
