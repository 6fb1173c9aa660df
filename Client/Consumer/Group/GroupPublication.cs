using Orlog.Errors;

namespace Orlog.Client;

/// <summary>What the group session hands the consumer thread: the partitions it may read now, or that it lost them.</summary>
/// <param name="Partitions">Null when the assignment was lost (removed from the group) or the group refused the member.</param>
/// <param name="Error">Set when the group refused the member for good (Consume raises it).</param>
internal sealed record GroupPublication(long Sequence, IReadOnlyList<TopicPartition>? Partitions, int Generation, OrlogException? Error);
