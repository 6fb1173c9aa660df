using Orleans;

namespace Orlog.Cluster;

/// <summary>What the controller keeps in grain storage.</summary>
[GenerateSerializer]
[Alias("orlog.controller-state")]
public sealed class ControllerState
{
    /// <summary>Every broker ever seen live, with the zone it last had ("" for none).</summary>
    [Id(0)]
    public Dictionary<int, string> Brokers { get; set; } = [];

    /// <summary>Per topic, the leadership of each partition and how its leaders may be chosen.</summary>
    [Id(2)]
    public Dictionary<string, TopicLeadership> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The producer id the next idempotent producer gets.</summary>
    [Id(3)]
    public long NextProducerId { get; set; }
}

/// <summary>The leadership of a topic's partitions (index = partition).</summary>
[GenerateSerializer]
[Alias("orlog.topic-leadership")]
public sealed class TopicLeadership
{
    [Id(0)]
    public List<PartitionLeadership> Partitions { get; set; } = [];

    /// <summary>The topic's <c>unclean.leader.election.enable</c>: an out-of-sync replica may lead when no in-sync one is live.</summary>
    [Id(1)]
    public bool UncleanLeaderElection { get; set; }
}
