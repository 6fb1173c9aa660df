using Orlog.Errors;
using Orlog.Groups;

namespace Orlog.Client;

/// <summary>Committing offsets to the group, and reading them back.</summary>
internal sealed partial class Consumer<TKey, TValue>
{
    private Task _lastCommit = Task.CompletedTask;

    public IReadOnlyList<TopicPartitionOffset> Commit()
    {
        var positions = PositionsOf(Assignment);
        if (positions.Count > 0)
        {
            Commit(positions);
        }

        return positions;
    }

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) =>
        Wait(CommitAsync(offsets), TimeSpan.FromMilliseconds(_config.RequestTimeoutMs), "Commit");

    public void Commit(ConsumeResult<TKey, TValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Commit([new TopicPartitionOffset(result.TopicPartition, result.Offset.Value + 1)]);
    }

    public Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ThrowIfClosed();
        var list = offsets.ToList();
        foreach (var offset in list)
        {
            if (offset.Offset.Value < 0)
            {
                throw new ArgumentException($"{offset} is not an offset to commit (Beginning, End and Unset are not).", nameof(offsets));
            }
        }

        return CommitCoreAsync(list);
    }

    public Task CommitAsync(ConsumeResult<TKey, TValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return CommitAsync([new TopicPartitionOffset(result.TopicPartition, result.Offset.Value + 1)]);
    }

    public IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var wanted = partitions.ToList();
        var fetch = _groups.FetchOffsetsAsync(RequireGroupId(), wanted);
        Wait(fetch, timeout, "Committed");
        var committed = new Dictionary<TopicPartition, long>();
        foreach (var offset in fetch.Result)
        {
            committed[offset.Partition] = offset.Offset;
        }

        var result = new TopicPartitionOffset[wanted.Count];
        for (var i = 0; i < wanted.Count; i++)
        {
            result[i] = new TopicPartitionOffset(wanted[i], committed.TryGetValue(wanted[i], out var offset) ? offset : Offset.Unset);
        }

        return result;
    }

    /// <summary>
    /// Commits as the group member the consumer is now (or, without Subscribe, from outside group
    /// management). A commit that raced with a sync (ILLEGAL_GENERATION) is sent once more with the
    /// new generation: the member still owns what it commits, since the group never takes a partition
    /// from a member before the member has released it.
    /// </summary>
    /// <remarks>
    /// Commits go out one after the other: Orleans does not keep concurrent calls in order, so an
    /// auto-commit still in flight could otherwise land after a later commit and move the group's
    /// offset back (records read twice after a clean handover).
    /// </remarks>
    private Task CommitCoreAsync(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        var groupId = RequireGroupId();
        var commits = new OffsetCommit[offsets.Count];
        for (var i = 0; i < commits.Length; i++)
        {
            commits[i] = new OffsetCommit(offsets[i].TopicPartition, offsets[i].Offset.Value);
        }

        var commit = CommitAfterAsync(_lastCommit, groupId, commits);
        _lastCommit = commit;
        return commit;
    }

    private async Task CommitAfterAsync(Task previous, string groupId, OffsetCommit[] commits)
    {
        // The previous commit's failure belongs to its caller; this one only waits for it to be done.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var (memberId, generation) = Identity();
        try
        {
            await _groups.CommitAsync(groupId, memberId, generation, commits).ConfigureAwait(false);
        }
        catch (OrlogException e) when (e.Code == ErrorCode.IllegalGeneration && Identity() is var now && now.Generation != generation)
        {
            await _groups.CommitAsync(groupId, now.MemberId, now.Generation, commits).ConfigureAwait(false);
        }
    }

    private (string MemberId, int Generation) Identity()
    {
        if (_session is null)
        {
            return ("", -1);
        }

        var identity = _session.Identity;
        return identity.MemberId.Length > 0
            ? identity
            : throw new OrlogException(ErrorCode.RebalanceInProgress, $"The consumer is joining group '{_session.GroupId}'; commit again once it has an assignment.");
    }

    private string RequireGroupId() =>
        _config.GroupId ?? throw new OrlogException(ErrorCode.InvalidConfig, "Committing offsets needs a GroupId in the ConsumerConfig.");

    /// <summary>The next offset to read of each partition whose position is known.</summary>
    private List<TopicPartitionOffset> PositionsOf(IReadOnlyList<TopicPartition> partitions)
    {
        var positions = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            var index = IndexOf(partition);
            if (index >= 0 && _partitions[index].KnownPosition >= 0)
            {
                positions.Add(new TopicPartitionOffset(partition, _partitions[index].KnownPosition));
            }
        }

        return positions;
    }
}
