using Orleans;

namespace Orlog.Topics;

/// <summary>What a topic grain keeps in grain storage.</summary>
[GenerateSerializer]
[Alias("orlog.topic-state")]
public sealed class TopicState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public int Partitions { get; set; }

    [Id(2)]
    public short ReplicationFactor { get; set; }

    [Id(3)]
    public Dictionary<string, string> Configs { get; set; } = new(StringComparer.Ordinal);

    [Id(4)]
    public DateTimeOffset CreatedAt { get; set; }
}
