using Orlog.Cluster;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Client;

/// <summary>
/// Gives up on calls that went to, or through, a silo which then died. Orleans answers such a call only
/// when its response timeout ends (30 s by default), although membership declares the silo dead within
/// seconds and the controller elects new leaders. A call outstanding longer than its caller expects asks,
/// every <see cref="CheckInterval"/>, which silos the cluster lost lately: once one was declared dead after
/// the call was sent, the call is abandoned with LEADER_NOT_AVAILABLE, which producers and consumers retry
/// (an idempotent producer's retry is stored once, whichever attempt arrived). Checks share one query per interval.
/// </summary>
internal sealed class DeadSiloWatch(Func<Task<LostSilo[]>> recentlyLost, TimeProvider time)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a call may take, besides any wait it asks the broker for, before checks begin.</summary>
    public static readonly TimeSpan PromptAnswer = TimeSpan.FromSeconds(1);

    /// <summary>How long one query may take before its check is skipped.</summary>
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Task<Losses?>? _query;
    private long _queriedAt;

    /// <summary>
    /// The call's result, unless a silo dies while it is outstanding past <see cref="PromptAnswer"/> plus
    /// <paramref name="serverWait"/> (the time the call asks the broker to wait, as a long poll does).
    /// </summary>
    /// <exception cref="OrlogException">LEADER_NOT_AVAILABLE when the call was abandoned.</exception>
    public Task<T> AwaitAsync<T>(Task<T> call, string operation, TimeSpan serverWait = default) =>
        AwaitAsync(call, operation, static operation => operation, serverWait);

    /// <summary>
    /// As <see cref="AwaitAsync{T}(Task{T}, string, TimeSpan)"/>, naming the operation with <paramref name="describe"/>
    /// only when the call is abandoned: the hot paths (produce, fetch) build no text per call.
    /// </summary>
    public Task<T> AwaitAsync<T, TState>(Task<T> call, TState state, Func<TState, string> describe, TimeSpan serverWait = default) =>
        call.IsCompleted ? call : AwaitSlowAsync(call, state, describe, serverWait);

    private async Task<T> AwaitSlowAsync<T, TState>(Task<T> call, TState state, Func<TState, string> describe, TimeSpan serverWait)
    {
        var sentAt = time.GetTimestamp();
        var wait = PromptAnswer + serverWait;
        while (true)
        {
            try
            {
                return await call.WaitAsync(wait, time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                if (call.IsCompleted)
                {
                    return await call.ConfigureAwait(false);
                }
            }

            if (await RecentlyLostAsync().ConfigureAwait(false) is { } losses && losses.FirstSince(sentAt, time) is { } lost)
            {
                _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw new OrlogException(ErrorCode.LeaderNotAvailable, $"{describe(state)} was abandoned: silo {lost} left the cluster while the call was outstanding.");
            }

            wait = CheckInterval;
        }
    }

    /// <summary>The losses from a query at most <see cref="CheckInterval"/> old; null when the query failed or took too long.</summary>
    private Task<Losses?> RecentlyLostAsync()
    {
        lock (_lock)
        {
            if (_query is null || (_query.IsCompleted && time.GetElapsedTime(_queriedAt) >= CheckInterval))
            {
                _queriedAt = time.GetTimestamp();
                _query = QueryAsync();
            }

            return _query;
        }
    }

    private async Task<Losses?> QueryAsync()
    {
        try
        {
            var lost = await recentlyLost().WaitAsync(QueryTimeout, time).ConfigureAwait(false);
            return new Losses(lost, time.GetTimestamp());
        }
        catch (Exception)
        {
            // A gateway that cannot answer now: the next check asks again, through whichever gateway is up.
            return null;
        }
    }

    /// <param name="AnsweredAt">When the answer arrived: its ages are taken from then, which errs towards abandoning.</param>
    private sealed record Losses(LostSilo[] Silos, long AnsweredAt)
    {
        /// <summary>A silo declared dead after <paramref name="sentAt"/>, give or take one check interval.</summary>
        public SiloAddress? FirstSince(long sentAt, TimeProvider time)
        {
            var outstanding = time.GetElapsedTime(sentAt, AnsweredAt);
            foreach (var lost in Silos)
            {
                if (lost.Ago < outstanding + CheckInterval)
                {
                    return lost.Silo;
                }
            }

            return null;
        }
    }
}
