using Orlog.Errors;
using Orlog.Groups.Assignment;
using Orlog.Topics;

namespace Orlog.Groups;

/// <summary>
/// The membership and rebalancing rules of one consumer group, free of Orleans: members and
/// their subscriptions, the generation, the target assignment, and who owns what right now.
/// </summary>
/// <remarks>
/// <para>
/// Every change to the members, their subscriptions or the partition counts starts a new
/// generation: the assignor computes a target assignment from the previous one. Members then
/// reconcile by syncing: a member may own a partition of its target only once no other member
/// owns it, and must give up what is no longer in its target. With a cooperative assignor only
/// the partitions that move are revoked; with an eager one every member first gives up
/// everything (Kafka's classic protocol), then all get their targets.
/// </para>
/// <para>
/// A partition handed to a member counts as owned by it at once, so it can never be handed to
/// a second member before the first reports it released. Not thread-safe: the grain calls it
/// from its single-threaded scheduler.
/// </para>
/// </remarks>
internal sealed partial class GroupMembership(ConsumerGroupOptions options, TimeProvider time)
{
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupMember> _staticMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, GroupMember> _owners = [];
    private readonly Dictionary<string, int> _partitionCounts = new(StringComparer.Ordinal);
    private IPartitionAssignor? _assignor;
    private bool _revokingAll;

    /// <summary>Raised when some member's allowed partitions may have changed (waiting heartbeats should look again).</summary>
    public event Action? Changed;

    public int Generation { get; private set; }

    /// <summary>Counts the changes grain storage must see (members, subscriptions, assignment, ownership); heartbeats do not count.</summary>
    public long Version { get; private set; }

    public int Count => _members.Count;

    public string? AssignorName => _assignor?.Name;

    public IEnumerable<GroupMember> Members => _members.Values;

    /// <summary>Every topic some member subscribes to.</summary>
    public IReadOnlyCollection<string> SubscribedTopics
    {
        get
        {
            var topics = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var member in _members.Values)
            {
                topics.UnionWith(member.Topics);
            }

            return topics;
        }
    }

    /// <summary>Stable when every member owns exactly its target.</summary>
    public GroupState State
    {
        get
        {
            if (_members.Count == 0)
            {
                return GroupState.Empty;
            }

            foreach (var member in _members.Values)
            {
                if (!member.Owned.SetEquals(member.Target) || member.Generation != Generation)
                {
                    return GroupState.Rebalancing;
                }
            }

            return GroupState.Stable;
        }
    }

    /// <summary>Adds a member, replaces a static member's previous incarnation, or changes a member's subscription.</summary>
    /// <param name="newMemberId">The id a new member (or a static member's new incarnation) gets.</param>
    public GroupAssignment Join(JoinGroupRequest request, string newMemberId)
    {
        var assignor = Validate(request);
        var topics = new SortedSet<string>(request.Topics, StringComparer.Ordinal);
        GroupMember member;
        bool rebalance;
        if (!string.IsNullOrEmpty(request.MemberId))
        {
            member = Find(request.MemberId);
            rebalance = !member.Topics.SetEquals(topics);
        }
        else if (request.GroupInstanceId is { } instanceId && _staticMembers.TryGetValue(instanceId, out var previous))
        {
            // KIP-345: the same instance is back; it takes over its assignment without a rebalance.
            member = previous;
            _members.Remove(member.MemberId);
            member.MemberId = newMemberId;
            _members.Add(newMemberId, member);
            Release(member, member.Owned);
            member.Owned = [];
            member.LastGiven = [];
            rebalance = !member.Topics.SetEquals(topics);
        }
        else
        {
            member = new GroupMember(newMemberId, request.GroupInstanceId);
            _members.Add(newMemberId, member);
            if (request.GroupInstanceId is { } id)
            {
                _staticMembers.Add(id, member);
            }

            rebalance = true;
        }

        _assignor = assignor;
        member.ClientId = request.ClientId;
        member.Topics = topics;
        member.SessionTimeout = TimeSpan.FromMilliseconds(request.SessionTimeoutMs);
        member.RebalanceTimeout = TimeSpan.FromMilliseconds(request.RebalanceTimeoutMs);
        member.LastSeen = time.GetTimestamp();
        if (rebalance)
        {
            Rebalance();
        }

        return Reconcile(member, member.Owned);
    }

    /// <summary>Takes the member's report of what it owns and answers what it may own now.</summary>
    public GroupAssignment Sync(string memberId, int generation, IReadOnlyCollection<TopicPartition> owned)
    {
        var member = Find(memberId);
        if (generation > Generation)
        {
            throw new OrlogException(ErrorCode.IllegalGeneration, $"Generation {generation} is ahead of the group's ({Generation}).");
        }

        member.LastSeen = time.GetTimestamp();
        return Reconcile(member, owned);
    }

    /// <summary>Records that the member is alive; true when it should sync.</summary>
    public bool Heartbeat(string memberId, int generation)
    {
        var member = Find(memberId);
        member.LastSeen = time.GetTimestamp();
        return generation != Generation || !Allowed(member).SetEquals(member.LastGiven);
    }

    public void Leave(string memberId) => Remove(Find(memberId));

    /// <summary>Removes members whose session timed out, or that held revoked partitions past their rebalance timeout.</summary>
    /// <returns>The removed members with the reason, for the log.</returns>
    public IReadOnlyList<(GroupMember Member, string Reason)> RemoveExpired()
    {
        List<(GroupMember, string)>? removed = null;
        foreach (var member in _members.Values)
        {
            if (time.GetElapsedTime(member.LastSeen) > member.SessionTimeout)
            {
                (removed ??= []).Add((member, $"no heartbeat for {member.SessionTimeout.TotalMilliseconds:0} ms (session.timeout.ms)"));
            }
            else if (member.RevokingSince is { } since && time.GetElapsedTime(since) > member.RebalanceTimeout)
            {
                (removed ??= []).Add((member, $"it did not release revoked partitions within {member.RebalanceTimeout.TotalMilliseconds:0} ms (max.poll.interval.ms)"));
            }
        }

        if (removed is null)
        {
            return [];
        }

        foreach (var (member, _) in removed)
        {
            Remove(member);
        }

        return removed;
    }

    /// <summary>The partition count last handed in for <paramref name="topic"/>.</summary>
    public bool TryGetPartitionCount(string topic, out int count) => _partitionCounts.TryGetValue(topic, out count);

    /// <summary>Takes the current partition counts of some topics; rebalances when a subscribed topic's count changed.</summary>
    public bool UpdatePartitionCounts(IReadOnlyDictionary<string, int> counts)
    {
        var subscribed = SubscribedTopics;
        var changed = false;
        foreach (var (topic, count) in counts)
        {
            if (!_partitionCounts.TryGetValue(topic, out var known) || known != count)
            {
                _partitionCounts[topic] = count;
                changed |= subscribed.Contains(topic);
            }
        }

        if (changed)
        {
            Rebalance();
        }

        return changed;
    }

    /// <summary>Checks that a commit comes from a current member in its generation, or from outside group management while the group is empty.</summary>
    public void CheckCommit(string memberId, int generation)
    {
        if (string.IsNullOrEmpty(memberId) && generation < 0)
        {
            if (_members.Count > 0)
            {
                throw new OrlogException(ErrorCode.UnknownMemberId, $"The group has {_members.Count} active member(s); only they may commit. Use another group id for manually assigned consumers.");
            }

            return;
        }

        var member = Find(memberId);
        if (generation != member.Generation)
        {
            throw new OrlogException(ErrorCode.IllegalGeneration, $"Member {memberId} is in generation {member.Generation}, not {generation}; sync with the group before committing.");
        }
    }

    /// <summary>The member that owns the partition, if any.</summary>
    public string? OwnerOf(TopicPartition partition) => _owners.TryGetValue(partition, out var owner) ? owner.MemberId : null;

    /// <summary>Checks a join without changing anything; <see cref="Join"/> checks again.</summary>
    /// <exception cref="OrlogException">INVALID_REQUEST, INVALID_TOPIC, INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL, UNKNOWN_MEMBER_ID.</exception>
    public IPartitionAssignor Validate(JoinGroupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.MemberId))
        {
            Find(request.MemberId);
        }

        if (request.Topics is null || request.Topics.Count == 0)
        {
            throw new OrlogException(ErrorCode.InvalidRequest, "A member must subscribe to at least one topic.");
        }

        foreach (var topic in request.Topics)
        {
            TopicName.Validate(topic);
        }

        if (request.SessionTimeoutMs < options.MinSessionTimeoutMs || request.SessionTimeoutMs > options.MaxSessionTimeoutMs)
        {
            throw new OrlogException(ErrorCode.InvalidSessionTimeout, $"session.timeout.ms {request.SessionTimeoutMs} is outside the broker's range {options.MinSessionTimeoutMs}-{options.MaxSessionTimeoutMs} (group.min/max.session.timeout.ms).");
        }

        if (request.RebalanceTimeoutMs <= 0)
        {
            throw new OrlogException(ErrorCode.InvalidRequest, $"max.poll.interval.ms must be positive; got {request.RebalanceTimeoutMs}.");
        }

        var assignor = PartitionAssignors.Get(request.Assignor);
        var joined = _members.Count - (string.IsNullOrEmpty(request.MemberId) ? 0 : 1);
        if (_assignor is { } current && joined > 0 && current.Name != assignor.Name)
        {
            throw new OrlogException(ErrorCode.InconsistentGroupProtocol, $"The group's members use the '{current.Name}' assignor; this member asks for '{assignor.Name}'.");
        }

        return assignor;
    }

    private GroupMember Find(string memberId) =>
        _members.TryGetValue(memberId ?? "", out var member)
            ? member
            : throw new OrlogException(ErrorCode.UnknownMemberId, $"Member '{memberId}' is not in the group (it left, timed out, or was replaced); join again.");

    private void Remove(GroupMember member)
    {
        _members.Remove(member.MemberId);
        if (member.InstanceId is { } instanceId)
        {
            _staticMembers.Remove(instanceId);
        }

        Release(member, member.Owned);
        if (_members.Count == 0)
        {
            _assignor = null;
            _revokingAll = false;
        }

        Rebalance();
    }

    private void Rebalance()
    {
        Generation++;
        Version++;
        if (_assignor is not null && _members.Count > 0)
        {
            var members = new List<AssignmentMember>(_members.Count);
            foreach (var member in _members.Values)
            {
                members.Add(new AssignmentMember(member.MemberId, member.InstanceId, member.Topics, member.Target));
            }

            var assignment = _assignor.Assign(new AssignmentInput(members, _partitionCounts));
            foreach (var member in _members.Values)
            {
                member.Target = [.. assignment[member.MemberId]];
            }

            _revokingAll = _assignor.Protocol == RebalanceProtocol.Eager && _owners.Count > 0;
        }

        Changed?.Invoke();
    }

    private GroupAssignment Reconcile(GroupMember member, IReadOnlyCollection<TopicPartition> reported)
    {
        // The member can only hold what it held or was given; anything else in its report is ignored.
        var owned = new HashSet<TopicPartition>();
        foreach (var partition in reported)
        {
            if (member.Owned.Contains(partition))
            {
                owned.Add(partition);
            }
        }

        var released = new List<TopicPartition>();
        foreach (var partition in member.Owned)
        {
            if (!owned.Contains(partition))
            {
                released.Add(partition);
            }
        }

        Release(member, released);
        member.Owned = owned;
        var allowed = Allowed(member);
        foreach (var partition in allowed)
        {
            member.Owned.Add(partition);
            _owners[partition] = member;
        }

        member.LastGiven = allowed;
        member.Generation = Generation;
        Version++;
        member.RevokingSince = member.Owned.Count > allowed.Count ? member.RevokingSince ?? time.GetTimestamp() : null;
        if (released.Count > 0)
        {
            Changed?.Invoke();
        }

        var partitions = new List<TopicPartition>(allowed);
        partitions.Sort();
        return new GroupAssignment(member.MemberId, Generation, partitions, allowed.SetEquals(member.Target));
    }

    /// <summary>The partitions of the member's target that no other member owns (none while an eager rebalance revokes everything).</summary>
    private HashSet<TopicPartition> Allowed(GroupMember member)
    {
        if (_revokingAll)
        {
            if (_owners.Count > 0)
            {
                return [];
            }

            _revokingAll = false;
        }

        var allowed = new HashSet<TopicPartition>();
        foreach (var partition in member.Target)
        {
            if (!_owners.TryGetValue(partition, out var owner) || owner == member)
            {
                allowed.Add(partition);
            }
        }

        return allowed;
    }

    private void Release(GroupMember member, IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_owners.TryGetValue(partition, out var owner) && owner == member)
            {
                _owners.Remove(partition);
            }
        }
    }
}
