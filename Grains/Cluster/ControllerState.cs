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

    /// <summary>Per topic, the replica list of each partition (index = partition; first replica leads).</summary>
    [Id(1)]
    public Dictionary<string, List<int[]>> Replicas { get; set; } = new(StringComparer.Ordinal);
}
