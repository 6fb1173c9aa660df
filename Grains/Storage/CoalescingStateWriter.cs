namespace Orlog.Storage;

/// <summary>
/// Group commit for grain state: callers change the state, then await <see cref="WriteAsync"/>;
/// changes made while a write is under way go out together in the next one.
/// </summary>
/// <remarks>
/// Use it from a reentrant grain's scheduler only. A caller's task completes when a write that
/// started after its call has completed, so a completed task means the caller's change is
/// durable. The storage provider serializes the state when a write starts (before it awaits),
/// so changes made during a write never reach that write half-done.
/// </remarks>
public sealed class CoalescingStateWriter(Func<Task> write)
{
    private TaskCompletionSource? _next;
    private bool _writing;

    /// <summary>Completes when the state as it is now has been written; faults when that write failed.</summary>
    public Task WriteAsync()
    {
        var next = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writing)
        {
            _ = RunAsync();
        }

        return next.Task;
    }

    private async Task RunAsync()
    {
        _writing = true;
        while (_next is { } waiting)
        {
            _next = null;
            try
            {
                await write();
                waiting.SetResult();
            }
            catch (Exception e)
            {
                waiting.SetException(e);
            }
        }

        _writing = false;
    }
}
