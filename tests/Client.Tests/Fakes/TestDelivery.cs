using Orlog.Errors;

namespace Orlog.Client;

/// <summary>A delivery handler whose outcome a test can await.</summary>
internal sealed class TestDelivery : IDeliveryHandler
{
    private readonly TaskCompletionSource<(TopicPartition Partition, long Offset, Timestamp Timestamp)> _outcome =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(TopicPartition Partition, long Offset, Timestamp Timestamp)> Outcome => _outcome.Task;

    public void OnDelivered(TopicPartition partition, long offset, Timestamp timestamp) => _outcome.TrySetResult((partition, offset, timestamp));

    public void OnFailed(TopicPartition partition, OrlogException error) => _outcome.TrySetException(error);
}
