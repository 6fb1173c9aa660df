using Orlog.Errors;
using Orlog.Partitions;

namespace Orlog.Client;

internal sealed partial class Consumer<TKey, TValue>
{
    public IReadOnlyList<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestamps, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        var requests = timestamps.ToList();
        var lookups = new Task<ListOffsetsResult>[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            lookups[i] = _client.ListOffsetsAsync(requests[i].TopicPartition, OffsetSpec.ForTimestamp(requests[i].Timestamp.UnixTimestampMs));
        }

        Wait(Task.WhenAll(lookups), timeout, "OffsetsForTimes");
        var result = new TopicPartitionOffset[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var offset = lookups[i].Result.Offset;
            result[i] = new TopicPartitionOffset(requests[i].TopicPartition, offset >= 0 ? offset : Offset.End);
        }

        return result;
    }

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout)
    {
        var low = _client.ListOffsetsAsync(partition, OffsetSpec.Earliest);
        var high = _client.ListOffsetsAsync(partition, OffsetSpec.Latest);
        Wait(Task.WhenAll(low, high), timeout, $"QueryWatermarkOffsets of {partition}");
        return new WatermarkOffsets(low.Result.Offset, high.Result.Offset);
    }

    private void Wait(Task task, TimeSpan timeout, string operation)
    {
        try
        {
            task.WaitAsync(timeout, _time).GetAwaiter().GetResult();
        }
        catch (TimeoutException e)
        {
            throw new OrlogException(ErrorCode.RequestTimedOut, $"{operation} got no answer within {timeout.TotalMilliseconds:0} ms.", e);
        }
    }
}
