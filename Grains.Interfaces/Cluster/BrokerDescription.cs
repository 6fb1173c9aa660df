using Orleans;

namespace Orlog.Cluster;

/// <summary>One broker of the cluster, as the controller sees it.</summary>
/// <param name="Address">The silo's endpoint when the broker is live; null when it is down.</param>
/// <param name="Partitions">The partitions it holds a replica of.</param>
/// <param name="Leaders">The partitions it leads.</param>
[GenerateSerializer]
[Alias("orlog.broker-description")]
public sealed record BrokerDescription(
    [property: Id(0)] int BrokerId,
    [property: Id(1)] string? Zone,
    [property: Id(2)] string? Address,
    [property: Id(3)] bool Online,
    [property: Id(4)] int Partitions,
    [property: Id(5)] int Leaders);
