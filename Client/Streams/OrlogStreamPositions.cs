using Orleans;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;
using Orlog.Client;
using Orlog.Partitions;
using Orlog.Topics;

namespace Orlog.Streams;

/// <summary>Sequence tokens to subscribe from: an Orlog stream's token is the offset of a record in the stream's partition.</summary>
public static class OrlogStreamPositions
{
    /// <summary>The token of the record at <paramref name="offset"/>: subscribing with it replays the stream from there.</summary>
    public static StreamSequenceToken AtOffset(long offset) => new EventSequenceTokenV2(offset);

    /// <summary>
    /// The token of the stream's first record with a timestamp at or after <paramref name="time"/> (the
    /// partition's end when there is none), looked up in the log, its remote tier included.
    /// </summary>
    public static async Task<StreamSequenceToken> AtTimestampAsync(IGrainFactory grains, StreamId streamId, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var topic = StreamKeys.TopicOf(streamId);
        var partitions = (await grains.GetGrain<ITopicGrain>(topic).DescribeAsync().ConfigureAwait(false)).Partitions;
        var partition = grains.GetGrain<IPartitionGrain>(PartitionKey.Format(topic, Murmur2.Partition(streamId.Key.Span, partitions)));
        var found = await partition.ListOffsetsAsync(OffsetSpec.ForTimestamp(time.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return AtOffset(found.Offset >= 0 ? found.Offset : (await partition.ListOffsetsAsync(OffsetSpec.Latest).ConfigureAwait(false)).Offset);
    }
}
