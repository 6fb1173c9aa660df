namespace Orlog.Testing;

/// <summary>
/// Tells waiters that some observed state changed: <see cref="Next"/> completes at the next
/// <see cref="Pulse"/>. Tests wait on it with a deadline and check their condition again, instead of
/// sleeping between checks.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change; take it before checking the condition, so no change is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it again whenever one of
    /// <paramref name="signals"/> pulses; false when <paramref name="deadline"/> has passed.
    /// </summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan deadline, params ChangeSignal[] signals)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var changed = Task.WhenAny(signals.Select(s => s.Next));
            if (condition())
            {
                return true;
            }

            var remaining = until - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await changed.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // The deadline passed: one last check above.
            }
        }
    }
}
