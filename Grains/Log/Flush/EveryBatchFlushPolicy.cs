namespace Orlog.Log.Flush;

/// <summary><c>flush.policy=every-batch</c>: an fsync before each append returns.</summary>
public sealed class EveryBatchFlushPolicy(IFlushable log) : IFlushPolicy
{
    public void OnAppended() => log.Flush();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
