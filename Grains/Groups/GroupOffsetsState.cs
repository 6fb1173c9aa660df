using Orleans;

namespace Orlog.Groups;

/// <summary>What a consumer group keeps in grain storage: its committed offsets, and since when it has had no members.</summary>
[GenerateSerializer]
[Alias("orlog.group-offsets-state")]
public sealed class GroupOffsetsState
{
    [Id(0)]
    public Dictionary<TopicPartition, CommittedOffset> Offsets { get; set; } = [];

    /// <summary>When the last member left (offsets expire counting from here); null while it has members.</summary>
    [Id(1)]
    public DateTimeOffset? EmptySince { get; set; }

    public bool IsEmpty => Offsets.Count == 0 && EmptySince is null;
}
