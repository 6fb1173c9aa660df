using Orleans;

namespace Orlog.Topics;

/// <summary>A topic as the cluster knows it.</summary>
/// <param name="Configs">The configs set on the topic (defaults are not listed).</param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.topic-description")]
public sealed record TopicDescription(
    [property: Id(0)] string Name,
    [property: Id(1)] int Partitions,
    [property: Id(2)] short ReplicationFactor,
    [property: Id(3)] IReadOnlyDictionary<string, string> Configs,
    [property: Id(4)] DateTimeOffset CreatedAt);
