using Orleans;

namespace Orlog.Groups;

/// <summary>What a consumer group keeps in grain storage: its committed offsets, its membership, and since when it has had no members.</summary>
[GenerateSerializer]
[Alias("orlog.group-offsets-state")] // The alias of the first stored version, which held offsets only: stored groups stay readable.
public sealed class StoredGroup
{
    [Id(0)]
    public Dictionary<TopicPartition, CommittedOffset> Offsets { get; set; } = [];

    /// <summary>When the last member left (offsets expire counting from here); null while it has members.</summary>
    [Id(1)]
    public DateTimeOffset? EmptySince { get; set; }

    /// <summary>The members, generation and assignment as of the last change; null while it has no members.</summary>
    [Id(2)]
    public StoredMembership? Membership { get; set; }

    public bool IsEmpty => Offsets.Count == 0 && EmptySince is null && Membership is null;
}
