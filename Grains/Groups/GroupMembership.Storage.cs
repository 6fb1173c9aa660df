using Orlog.Groups.Assignment;

namespace Orlog.Groups;

/// <summary>Taking the membership to grain storage and back.</summary>
internal sealed partial class GroupMembership
{
    /// <summary>The membership as it is now, for grain storage; null when the group has no members.</summary>
    public StoredMembership? ToStored()
    {
        if (_members.Count == 0)
        {
            return null;
        }

        var members = new List<StoredMember>(_members.Count);
        foreach (var member in _members.Values)
        {
            members.Add(new StoredMember(
                member.MemberId,
                member.InstanceId,
                member.ClientId,
                [.. member.Topics],
                member.SessionTimeout,
                member.RebalanceTimeout,
                [.. member.Target],
                [.. member.Owned],
                [.. member.LastGiven],
                member.Generation,
                member.RevokingSince is not null));
        }

        return new StoredMembership(Generation, _assignor?.Name, _revokingAll, new Dictionary<string, int>(_partitionCounts, StringComparer.Ordinal), members);
    }

    /// <summary>Takes back a stored membership into this empty one; every member's session (and revocation deadline) starts now.</summary>
    public void Restore(StoredMembership stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_members.Count > 0)
        {
            throw new InvalidOperationException("Only an empty membership can be restored.");
        }

        Generation = stored.Generation;
        _assignor = stored.Assignor is { } name ? PartitionAssignors.Get(name) : null;
        _revokingAll = stored.RevokingAll;
        foreach (var (topic, count) in stored.PartitionCounts)
        {
            _partitionCounts[topic] = count;
        }

        var now = time.GetTimestamp();
        foreach (var entry in stored.Members)
        {
            var member = new GroupMember(entry.MemberId, entry.InstanceId)
            {
                ClientId = entry.ClientId,
                Topics = new SortedSet<string>(entry.Topics, StringComparer.Ordinal),
                SessionTimeout = entry.SessionTimeout,
                RebalanceTimeout = entry.RebalanceTimeout,
                LastSeen = now,
                Target = [.. entry.Target],
                Owned = [.. entry.Owned],
                LastGiven = [.. entry.LastGiven],
                Generation = entry.Generation,
                RevokingSince = entry.Revoking ? now : null,
            };
            _members.Add(member.MemberId, member);
            if (member.InstanceId is { } instanceId)
            {
                _staticMembers.Add(instanceId, member);
            }

            foreach (var partition in member.Owned)
            {
                _owners[partition] = member;
            }
        }
    }
}
