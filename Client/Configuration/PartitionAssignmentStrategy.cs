namespace Orlog.Client;

/// <summary>Kafka's <c>partition.assignment.strategy</c>: how a group spreads partitions over its members.</summary>
public enum PartitionAssignmentStrategy
{
    /// <summary><c>cooperative-sticky</c> (the default): keeps partitions where they are; a rebalance revokes only what moves (KIP-429).</summary>
    CooperativeSticky = 0,

    /// <summary><c>range</c>: contiguous ranges of each topic's partitions; every rebalance revokes everything first.</summary>
    Range = 1,

    /// <summary><c>roundrobin</c>: all partitions dealt out in turn; every rebalance revokes everything first.</summary>
    RoundRobin = 2,
}
