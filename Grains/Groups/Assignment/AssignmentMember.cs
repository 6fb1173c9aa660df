namespace Orlog.Groups.Assignment;

/// <summary>
/// One member of a consumer group as a partition assignor sees it: who it is, what it
/// subscribes to and what the group's previous target assignment gave it.
/// </summary>
/// <param name="MemberId">The id the coordinator gave the member; unique within the group.</param>
/// <param name="InstanceId">Kafka's <c>group.instance.id</c> for a static member; null for a dynamic one.</param>
/// <param name="Topics">The member's subscription.</param>
/// <param name="Current">The partitions the previous target assignment gave the member; empty for a new member.</param>
public sealed record AssignmentMember(string MemberId, string? InstanceId, IReadOnlyCollection<string> Topics, IReadOnlyCollection<TopicPartition> Current)
{
    /// <summary>
    /// Kafka's member order (<c>AbstractPartitionAssignor.MemberInfo</c>): static members first, by
    /// instance id, then dynamic members by member id, all ordinal. The member id breaks the
    /// remaining ties so that the order is total. A static member keeps its place across restarts,
    /// and with it the partitions the eager assignors give it.
    /// </summary>
    internal static IComparer<AssignmentMember> Order { get; } = Comparer<AssignmentMember>.Create(Compare);

    private static int Compare(AssignmentMember? x, AssignmentMember? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        if (x.InstanceId is not null && y.InstanceId is not null)
        {
            var byInstance = string.CompareOrdinal(x.InstanceId, y.InstanceId);
            if (byInstance != 0)
            {
                return byInstance;
            }
        }
        else if (x.InstanceId is not null || y.InstanceId is not null)
        {
            return x.InstanceId is not null ? -1 : 1;
        }

        return string.CompareOrdinal(x.MemberId, y.MemberId);
    }
}
