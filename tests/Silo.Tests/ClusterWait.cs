using System.Diagnostics;
using Orlog.Errors;
using Orlog.Testing;
using Xunit;

namespace Orlog.Silo;

/// <summary>Waits on a condition about a cluster of silo processes, failing after a deadline.</summary>
internal static class ClusterWait
{
    /// <summary>
    /// Checks <paramref name="condition"/> until it holds: again at every pulse of one of <paramref name="signals"/>
    /// (a broker's log line, an acknowledged record) and at least every <paramref name="recheckAfter"/>. Calls that fail
    /// while the cluster settles (a silo just died or joined) count as "not yet"; the last of them, and
    /// <paramref name="state"/> when given, are in the failure message.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan deadline, TimeSpan recheckAfter, ChangeSignal[] signals, Func<string>? state = null)
    {
        var started = Stopwatch.GetTimestamp();
        Exception? last = null;
        while (Stopwatch.GetElapsedTime(started) < deadline)
        {
            // Taken before the check, so a change during it is not missed.
            var changed = Task.WhenAny(signals.Select(s => s.Next));
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OrlogException)
            {
                last = e;
            }

            try
            {
                await changed.WaitAsync(recheckAfter);
            }
            catch (TimeoutException)
            {
                // Nothing announced a change: check again anyway.
            }
        }

        Assert.Fail($"Timed out after {deadline} waiting until {what}. Last error: {last?.ToString() ?? "none"}. {state?.Invoke()}");
    }
}
