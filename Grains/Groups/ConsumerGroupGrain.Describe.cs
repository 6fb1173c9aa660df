using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Partitions;

namespace Orlog.Groups;

/// <summary>Describe: members, assignment, and per partition the committed offset, log end and lag.</summary>
public sealed partial class ConsumerGroupGrain
{
    public async Task<GroupDescription> DescribeAsync()
    {
        if (_membership.Count == 0 && _state.State.Offsets.Count == 0)
        {
            throw new OrlogException(ErrorCode.GroupIdNotFound, $"Group '{Id}' has no members and no committed offsets.");
        }

        var members = new List<GroupMemberDescription>(_membership.Count);
        var partitions = new SortedSet<TopicPartition>();
        foreach (var member in _membership.Members)
        {
            var owned = new List<TopicPartition>(member.Owned);
            owned.Sort();
            partitions.UnionWith(owned);
            members.Add(new GroupMemberDescription(member.MemberId, member.InstanceId, member.ClientId, [.. member.Topics], owned));
        }

        members.Sort((a, b) => string.CompareOrdinal(a.MemberId, b.MemberId));
        partitions.UnionWith(_state.State.Offsets.Keys);
        var ends = new List<(TopicPartition Partition, Task<long> End)>(partitions.Count);
        foreach (var partition in partitions)
        {
            ends.Add((partition, LogEndOffsetAsync(partition)));
        }

        var lags = new List<PartitionLag>(ends.Count);
        foreach (var (partition, end) in ends)
        {
            var logEnd = await end;
            var committed = _state.State.Offsets.TryGetValue(partition, out var offset) ? offset : null;
            var lag = committed is null || logEnd < 0 ? -1 : Math.Max(0, logEnd - committed.Offset);
            lags.Add(new PartitionLag(partition, committed?.Offset ?? -1, committed?.Metadata, logEnd, lag, _membership.OwnerOf(partition)));
        }

        return new GroupDescription(Id, _membership.State, _membership.AssignorName, _membership.Generation, members, lags);
    }

    /// <summary>The partition's log end offset, or -1 when the partition does not exist (any more).</summary>
    private async Task<long> LogEndOffsetAsync(TopicPartition partition)
    {
        try
        {
            return (await GrainFactory.GetGrain<IPartitionGrain>(PartitionKey.Format(partition.Topic, partition.Partition)).ListOffsetsAsync(OffsetSpec.Latest)).Offset;
        }
        catch (OrlogException e) when (e.Code == ErrorCode.UnknownTopicOrPartition)
        {
            return -1;
        }
    }
}
