using Orleans;

namespace Orlog.Groups;

/// <summary>The partitions a member may consume now, in the group's current generation.</summary>
/// <param name="Partitions">Owned partitions missing from this list must be revoked before the next sync.</param>
/// <param name="Complete">False while some of the member's partitions still wait for their previous owner to release them.</param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.group-assignment")]
public sealed record GroupAssignment(
    [property: Id(0)] string MemberId,
    [property: Id(1)] int Generation,
    [property: Id(2)] IReadOnlyList<TopicPartition> Partitions,
    [property: Id(3)] bool Complete);
