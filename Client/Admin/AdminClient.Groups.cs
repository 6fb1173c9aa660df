using Orlog.Errors;
using Orlog.Groups;
using Orlog.Partitions;
using Orlog.Topics;

namespace Orlog.Client;

/// <summary>Consumer groups: list, describe, delete, reset offsets (over <see cref="IConsumerGroupGrain"/> and <see cref="IConsumerGroupDirectoryGrain"/>).</summary>
internal sealed partial class AdminClient
{
    public async Task<IReadOnlyList<string>> ListConsumerGroupsAsync(CancellationToken cancellationToken = default)
    {
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        var groups = await Call(() => factory.GetGrain<IConsumerGroupDirectoryGrain>(IConsumerGroupDirectoryGrain.Key).ListAsync(), "List consumer groups", cancellationToken).ConfigureAwait(false);
        var sorted = groups.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    public async Task<GroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        GroupId.Validate(groupId);
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        return await Call(() => factory.GetGrain<IConsumerGroupGrain>(groupId).DescribeAsync(), $"Describe consumer group '{groupId}'", cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteConsumerGroupsAsync(IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        _ = await ForEachAsync(
            groupIds,
            async (factory, groupId) =>
            {
                GroupId.Validate(groupId);
                await factory.GetGrain<IConsumerGroupGrain>(groupId).DeleteAsync().ConfigureAwait(false);
                return true;
            },
            groupId => $"Delete consumer group '{groupId}'",
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TopicPartitionOffset>> ResetConsumerGroupOffsetsAsync(string groupId, string topic, OffsetResetSpec spec, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        GroupId.Validate(groupId);
        TopicName.Validate(topic);
        var factory = await client.GetGrainFactoryAsync(cancellationToken).ConfigureAwait(false);
        var group = factory.GetGrain<IConsumerGroupGrain>(groupId);
        if (dryRun)
        {
            // kafka-consumer-groups refuses a dry run of an active group too: the plan could not be applied.
            await ThrowIfActiveAsync(group, groupId, cancellationToken).ConfigureAwait(false);
        }

        var description = await Call(() => factory.GetGrain<ITopicGrain>(topic).DescribeAsync(), $"Describe topic '{topic}'", cancellationToken).ConfigureAwait(false);
        var partitions = Enumerable.Range(0, description.Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var committed = new Dictionary<TopicPartition, long>();
        if (spec.NeedsCommittedOffsets)
        {
            var offsets = await Call(() => group.FetchOffsetsAsync(partitions), $"Fetch offsets of consumer group '{groupId}'", cancellationToken).ConfigureAwait(false);
            foreach (var offset in offsets)
            {
                committed[offset.Partition] = offset.Offset;
            }
        }

        var targets = await ForEachAsync(
            partitions,
            async (factory, partition) =>
            {
                var grain = factory.GetGrain<IPartitionGrain>(PartitionKey.Format(partition.Topic, partition.Partition));
                var logStart = grain.ListOffsetsAsync(OffsetSpec.Earliest);
                var logEnd = grain.ListOffsetsAsync(OffsetSpec.Latest);
                var byTime = spec.Timestamp is { } timestamp ? grain.ListOffsetsAsync(OffsetSpec.ForTimestamp(timestamp)) : Task.FromResult(new ListOffsetsResult(-1, -1));
                await Task.WhenAll(logStart, logEnd, byTime).ConfigureAwait(false);
                var target = spec.Resolve((await logStart).Offset, (await logEnd).Offset, committed.TryGetValue(partition, out var current) ? current : null, (await byTime).Offset);
                return new TopicPartitionOffset(partition, target);
            },
            partition => $"List offsets of {partition}",
            cancellationToken).ConfigureAwait(false);

        if (!dryRun)
        {
            var commits = targets.Select(t => new OffsetCommit(t.TopicPartition, t.Offset.Value)).ToList();
            _ = await Call(
                async () =>
                {
                    await group.AlterOffsetsAsync(commits).ConfigureAwait(false);
                    return true;
                },
                $"Reset offsets of consumer group '{groupId}' on topic '{topic}' ({spec})",
                cancellationToken).ConfigureAwait(false);
        }

        return targets;
    }

    /// <summary>NON_EMPTY_GROUP while the group has members, as <see cref="IConsumerGroupGrain.AlterOffsetsAsync"/> would say; a group that does not exist yet has none.</summary>
    private async Task ThrowIfActiveAsync(IConsumerGroupGrain group, string groupId, CancellationToken cancellationToken)
    {
        GroupDescription description;
        try
        {
            description = await Call(group.DescribeAsync, $"Describe consumer group '{groupId}'", cancellationToken).ConfigureAwait(false);
        }
        catch (OrlogException e) when (e.Code == ErrorCode.GroupIdNotFound)
        {
            return;
        }

        if (description.Members.Count > 0)
        {
            throw new OrlogException(ErrorCode.NonEmptyGroup, $"Group '{groupId}' has {description.Members.Count} active member(s); it can only reset its offsets when they have all left.");
        }
    }
}
