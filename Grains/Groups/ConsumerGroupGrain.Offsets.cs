using System.Text;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Topics;

namespace Orlog.Groups;

/// <summary>Committed offsets: commit (fenced by member and generation), fetch, alter, expire, delete.</summary>
public sealed partial class ConsumerGroupGrain
{
    public async Task CommitOffsetsAsync(string memberId, int generation, IReadOnlyList<OffsetCommit> offsets)
    {
        GroupId.Validate(Id);
        await ValidateAsync(offsets);
        _membership.CheckCommit(memberId ?? "", generation);
        Apply(offsets);
        await RegisterAsync();
        await _writer.WriteAsync();
    }

    public Task<IReadOnlyList<CommittedOffset>> FetchOffsetsAsync(IReadOnlyList<TopicPartition>? partitions)
    {
        var stored = _state.State.Offsets;
        var result = new List<CommittedOffset>(partitions?.Count ?? stored.Count);
        if (partitions is null)
        {
            result.AddRange(stored.Values);
            result.Sort((a, b) => a.Partition.CompareTo(b.Partition));
        }
        else
        {
            foreach (var partition in partitions)
            {
                if (stored.TryGetValue(partition, out var committed))
                {
                    result.Add(committed);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<CommittedOffset>>(result);
    }

    public async Task AlterOffsetsAsync(IReadOnlyList<OffsetCommit> offsets)
    {
        GroupId.Validate(Id);
        await ValidateAsync(offsets);
        ThrowIfActive("reset its offsets");
        Apply(offsets);
        _state.State.EmptySince ??= _time.GetUtcNow();
        await RegisterAsync();
        await _writer.WriteAsync();
        LogOffsetsAltered(Id, offsets.Count);
    }

    public async Task DeleteAsync()
    {
        ThrowIfActive("be deleted");
        if (_state.State.IsEmpty && !await IsListedAsync())
        {
            throw new OrlogException(ErrorCode.GroupIdNotFound, $"Group '{Id}' does not exist.");
        }

        await ForgetAsync();
        LogDeleted(Id);
    }

    public async Task<bool> ExpireOffsetsAsync()
    {
        if (_membership.Count > 0)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var retention = _options.OffsetsRetention;
        if (_state.State.Offsets.Count == 0)
        {
            // A group that never committed is listed until it has been empty for the retention.
            if (_state.State.EmptySince is { } emptySince && now - emptySince >= retention)
            {
                await ForgetAsync();
                return true;
            }

            return false;
        }

        var expired = new List<TopicPartition>();
        foreach (var (partition, committed) in _state.State.Offsets)
        {
            var since = _state.State.EmptySince is { } empty && empty > committed.CommittedAt ? empty : committed.CommittedAt;
            if (now - since >= retention)
            {
                expired.Add(partition);
            }
        }

        if (expired.Count > 0 && expired.Count == _state.State.Offsets.Count)
        {
            await ForgetAsync();
            LogExpired(Id, expired.Count);
            return true;
        }

        if (expired.Count > 0)
        {
            foreach (var partition in expired)
            {
                _state.State.Offsets.Remove(partition);
            }

            await _writer.WriteAsync();
            LogExpired(Id, expired.Count);
        }

        return false;
    }

    private async Task ForgetAsync()
    {
        _state.State.Offsets.Clear();
        _state.State.EmptySince = null;
        await _writer.WriteAsync();
        await GrainFactory.GetGrain<IConsumerGroupDirectoryGrain>(IConsumerGroupDirectoryGrain.Key).RemoveAsync(Id);
        _registered = false;
    }

    private async Task<bool> IsListedAsync() =>
        (await GrainFactory.GetGrain<IConsumerGroupDirectoryGrain>(IConsumerGroupDirectoryGrain.Key).ListAsync()).Contains(Id);

    private void ThrowIfActive(string what)
    {
        if (_membership.Count > 0)
        {
            throw new OrlogException(ErrorCode.NonEmptyGroup, $"Group '{Id}' has {_membership.Count} active member(s); it can only {what} when they have all left.");
        }
    }

    private void Apply(IReadOnlyList<OffsetCommit> offsets)
    {
        var now = _time.GetUtcNow();
        foreach (var commit in offsets)
        {
            _state.State.Offsets[commit.Partition] = new CommittedOffset(commit.Partition, commit.Offset, commit.Metadata, now);
        }
    }

    /// <summary>Refuses the whole request when any entry is bad: a negative offset, too long metadata, or a partition that does not exist.</summary>
    private async Task ValidateAsync(IReadOnlyList<OffsetCommit> offsets)
    {
        if (offsets is null || offsets.Count == 0)
        {
            throw new OrlogException(ErrorCode.InvalidRequest, "The commit names no partition.");
        }

        foreach (var commit in offsets)
        {
            TopicName.Validate(commit.Partition.Topic);
            if (commit.Offset < 0)
            {
                throw new OrlogException(ErrorCode.InvalidRequest, $"Offset {commit.Offset} for {commit.Partition} is negative; commit the next offset to read.");
            }

            if (commit.Metadata is { } metadata && Encoding.UTF8.GetByteCount(metadata) > _options.OffsetMetadataMaxBytes)
            {
                throw new OrlogException(ErrorCode.OffsetMetadataTooLarge, $"The metadata for {commit.Partition} is longer than {_options.OffsetMetadataMaxBytes} bytes (offset.metadata.max.bytes).");
            }

            if (!_membership.TryGetPartitionCount(commit.Partition.Topic, out var count) || commit.Partition.Partition >= count)
            {
                count = await PartitionCountAsync(commit.Partition.Topic);
                UpdatePartitionCounts(new Dictionary<string, int> { [commit.Partition.Topic] = count });
            }

            if (commit.Partition.Partition < 0 || commit.Partition.Partition >= count)
            {
                throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"{commit.Partition} does not exist.");
            }
        }
    }
}
