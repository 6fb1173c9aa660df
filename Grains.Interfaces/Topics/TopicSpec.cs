using Orleans;

namespace Orlog.Topics;

/// <summary>What a topic is asked to be: its name, partition count, replication factor and Kafka-named configs.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orlog.topic-spec")]
public sealed record TopicSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] int Partitions,
    [property: Id(2)] short ReplicationFactor,
    [property: Id(3)] IReadOnlyDictionary<string, string> Configs)
{
    public TopicSpec(string name, int partitions)
        : this(name, partitions, 1, new Dictionary<string, string>())
    {
    }
}
