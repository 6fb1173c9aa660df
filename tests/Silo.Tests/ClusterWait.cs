using System.Diagnostics;
using Orlog.Errors;
using Orlog.Testing;
using Xunit;

namespace Orlog.Silo;

/// <summary>Waits on a condition about a cluster of silo processes, failing after a deadline.</summary>
internal static class ClusterWait
{
    /// <summary>
    /// Polls <paramref name="condition"/> until it holds, running <paramref name="between"/> between polls. Calls that
    /// fail while the cluster settles (a silo just died or joined) count as "not yet"; the last of them, and
    /// <paramref name="state"/> when given, are in the failure message.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan deadline, Func<Task> between, Func<string>? state = null)
    {
        var started = Stopwatch.GetTimestamp();
        Exception? last = null;
        while (Stopwatch.GetElapsedTime(started) < deadline)
        {
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

            await between();
        }

        Assert.Fail($"Timed out after {deadline} waiting until {what}. Last error: {last?.ToString() ?? "none"}. {state?.Invoke()}");
    }

    /// <summary>Waits until one of <paramref name="signals"/> pulses, or <paramref name="atMost"/> passes (for changes nothing announces).</summary>
    public static async Task AnyChangeAsync(TimeSpan atMost, params ChangeSignal[] signals)
    {
        try
        {
            await Task.WhenAny(signals.Select(s => s.Next)).WaitAsync(atMost);
        }
        catch (TimeoutException)
        {
            // Nothing announced a change: check again anyway.
        }
    }
}
