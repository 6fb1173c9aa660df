using Orlog.Client;
using Orlog.Groups;

namespace Orlog.Streams;

/// <summary>
/// Where each partition's delivery stands, kept as the committed offsets of a consumer group named
/// after the provider: <c>orlog groups describe NAME</c> shows how far every partition has been delivered.
/// </summary>
/// <remarks>The provider commits as a consumer outside group management, which the group accepts while it has no members.</remarks>
internal sealed class GroupCheckpoints(OrlogClient client, string group)
{
    /// <summary>The committed position of <paramref name="partition"/>, or null when there is none.</summary>
    public async Task<long?> ReadAsync(TopicPartition partition)
    {
        var offsets = await (await GroupAsync().ConfigureAwait(true)).FetchOffsetsAsync([partition]).ConfigureAwait(true);
        return offsets.Count > 0 ? offsets[0].Offset : null;
    }

    public async Task WriteAsync(TopicPartition partition, long offset) =>
        await (await GroupAsync().ConfigureAwait(true)).CommitOffsetsAsync("", -1, [new OffsetCommit(partition, offset, null)]).ConfigureAwait(true);

    private async ValueTask<IConsumerGroupGrain> GroupAsync() =>
        (await client.GetGrainFactoryAsync().ConfigureAwait(true)).GetGrain<IConsumerGroupGrain>(group);
}
