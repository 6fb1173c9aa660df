namespace Orlog.Groups;

/// <summary>What the group knows of one member; changed only by <see cref="GroupMembership"/>.</summary>
internal sealed class GroupMember(string memberId, string? instanceId)
{
    public string MemberId { get; set; } = memberId;

    public string? InstanceId { get; } = instanceId;

    public string ClientId { get; set; } = "";

    public SortedSet<string> Topics { get; set; } = new(StringComparer.Ordinal);

    public TimeSpan SessionTimeout { get; set; }

    public TimeSpan RebalanceTimeout { get; set; }

    /// <summary>When the member was last heard from (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastSeen { get; set; }

    /// <summary>The partitions the assignor gives the member in the current generation.</summary>
    public HashSet<TopicPartition> Target { get; set; } = [];

    /// <summary>The partitions the member holds: what it reported, plus what it was given since.</summary>
    public HashSet<TopicPartition> Owned { get; set; } = [];

    /// <summary>The answer of its last sync.</summary>
    public HashSet<TopicPartition> LastGiven { get; set; } = [];

    /// <summary>The generation of its last sync (commits must name it).</summary>
    public int Generation { get; set; }

    /// <summary>Since when it holds partitions it was told to revoke (a timestamp), or null.</summary>
    public long? RevokingSince { get; set; }
}
