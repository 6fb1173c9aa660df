using System.Net;
using Orlog.Cluster;
using Orlog.Errors;
using Xunit;

namespace Orlog.Client;

/// <summary>A call outstanding past its expected time is abandoned when, and only when, a silo was declared dead after it was sent.</summary>
public sealed class DeadSiloWatchTests : IDisposable
{
    private static readonly SiloAddress B = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Queue<Func<LostSilo[]>> _answers = new();
    private readonly SemaphoreSlim _queried = new(0);
    private LostSilo[] _last = [];
    private int _queries;

    public void Dispose() => _queried.Dispose();

    private DeadSiloWatch Watch() => new(Query, TimeProvider.System);

    private Task<LostSilo[]> Query()
    {
        Interlocked.Increment(ref _queries);
        try
        {
            lock (_answers)
            {
                if (_answers.TryDequeue(out var next))
                {
                    _last = next();
                }

                return Task.FromResult(_last);
            }
        }
        finally
        {
            _queried.Release();
        }
    }

    private async Task QueriedAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(await _queried.WaitAsync(Deadline, TestContext.Current.CancellationToken), "the watch never asked which silos were lost");
        }
    }

    [Fact]
    public async Task PromptCall_IsReturned_WithoutAsking()
    {
        Assert.Equal(7, await Watch().AwaitAsync(Task.FromResult(7), "op"));
        var delayed = new TaskCompletionSource<int>();
        var watched = Watch().AwaitAsync(delayed.Task, "op");
        delayed.SetResult(8);

        Assert.Equal(8, await watched);
        Assert.Equal(0, _queries);
    }

    [Fact]
    public async Task SlowCall_IsAbandonedWithLeaderNotAvailable_WhenASiloIsDeclaredDeadAfterItWasSent()
    {
        var call = new TaskCompletionSource<int>();
        _answers.Enqueue(() => []);
        _answers.Enqueue(() => [new LostSilo(B, TimeSpan.FromMilliseconds(10))]);

        var error = await Assert.ThrowsAsync<OrlogException>(() => Watch().AwaitAsync(call.Task, "Produce to t-0"));

        Assert.Equal(ErrorCode.LeaderNotAvailable, error.Code);
        Assert.Contains("Produce to t-0", error.Message, StringComparison.Ordinal);
        Assert.Contains(B.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _queries);
    }

    [Fact]
    public async Task SlowCall_IsAwaited_WhenTheOnlyDeathCameBeforeItWasSent()
    {
        var call = new TaskCompletionSource<int>();
        _answers.Enqueue(() => [new LostSilo(B, TimeSpan.FromSeconds(90))]);
        var watched = Watch().AwaitAsync(call.Task, "op");

        await QueriedAsync(3);
        Assert.False(watched.IsCompleted);
        call.SetResult(42);

        Assert.Equal(42, await watched);
    }

    [Fact]
    public async Task FailingQuery_SkipsTheCheck_AndNeverAbandons()
    {
        var call = new TaskCompletionSource<int>();
        _answers.Enqueue(() => throw new InvalidOperationException("gateway down"));
        _answers.Enqueue(() => throw new InvalidOperationException("gateway down"));
        var watched = Watch().AwaitAsync(call.Task, "op");

        await QueriedAsync(3);
        Assert.False(watched.IsCompleted);
        call.SetResult(1);

        Assert.Equal(1, await watched);
    }

    [Fact]
    public async Task SlowCallsOwnError_ReachesTheCaller_Unchanged()
    {
        var call = new TaskCompletionSource<int>();
        var timeout = new TimeoutException("response timeout");
        var watched = Watch().AwaitAsync(call.Task, "op");

        await QueriedAsync(1);
        call.SetException(timeout);

        Assert.Same(timeout, await Assert.ThrowsAsync<TimeoutException>(() => watched));
    }
}
