namespace Orlog.Log.Flush;

/// <summary>
/// <c>flush.policy=interval</c>: group commit. Appends only signal; one background loop per log
/// fsyncs whatever has accumulated, at most once every <c>flush.ms</c>, so many appends share
/// one fsync and appenders await <see cref="DurabilityTracker.WaitAsync"/> to ack on it.
/// </summary>
/// <remarks>An idle log costs one pending task and no thread.</remarks>
public sealed class GroupCommitFlushPolicy : IFlushPolicy
{
    private readonly IFlushable _log;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _pending = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public GroupCommitFlushPolicy(IFlushable log, TimeSpan interval, TimeProvider time)
    {
        _log = log;
        _interval = interval;
        _time = time;
        _loop = Task.Run(RunAsync);
    }

    public void OnAppended()
    {
        if (_pending.CurrentCount == 0)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another appender signalled first; one pending flush covers both.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        // _pending is not disposed: an append racing with close may still signal it, harmlessly.
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var lastFlush = long.MinValue / 2;
        while (true)
        {
            await _pending.WaitAsync(_stop.Token).ConfigureAwait(false);
            var wait = _time.GetElapsedTime(lastFlush, _time.GetTimestamp());
            if (wait < _interval)
            {
                await Task.Delay(_interval - wait, _time, _stop.Token).ConfigureAwait(false);
            }

            lastFlush = _time.GetTimestamp();
            try
            {
                _log.Flush();
            }
            catch (Errors.OrlogException)
            {
                // The log latched the error and failed its durability waiters; nothing more to flush.
                return;
            }
        }
    }
}
