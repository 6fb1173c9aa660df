namespace Orlog.Groups;

/// <summary>Where a consumer group is (Kafka's group states, with one state for a rebalance under way).</summary>
public enum GroupState
{
    /// <summary>No members; committed offsets may remain.</summary>
    Empty,

    /// <summary>Some member has not yet reached its assignment (partitions waiting to be released or taken).</summary>
    Rebalancing,

    /// <summary>Every member consumes exactly its assignment.</summary>
    Stable,
}
