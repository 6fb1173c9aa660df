using Orleans;

namespace Orlog.Cluster;

/// <summary>A silo Orleans membership declared dead, and how long before the answer the answering silo learned it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.lost-silo")]
public readonly record struct LostSilo([property: Id(0)] SiloAddress Silo, [property: Id(1)] TimeSpan Ago);
