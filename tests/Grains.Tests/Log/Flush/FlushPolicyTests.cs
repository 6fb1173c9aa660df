using Xunit;

namespace Orlog.Log.Flush;

public sealed class FlushPolicyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task EveryBatch_FsyncsBeforeAppendReturns()
    {
        await using var log = PartitionLog.Open(_directory.Path, new LogConfig { FlushMode = FlushMode.EveryBatch });

        var info = log.Append(TestBatches.Build(3, 10, 1000));

        Assert.Equal(info.LastOffset + 1, log.RecoveryPoint);
        Assert.Equal(info.LastOffset + 1, log.Durability.DurableEndOffset);
        Assert.True(log.Durability.WaitAsync(info.LastOffset, TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Interval_GroupCommit_CompletesWaitersAfterOneFsync()
    {
        await using var log = PartitionLog.Open(_directory.Path, new LogConfig { FlushMode = FlushMode.Interval, FlushMs = 20 });

        var waits = new List<Task>();
        for (var i = 0; i < 10; i++)
        {
            var info = log.Append(TestBatches.Build(1, 10, 1000));
            waits.Add(log.Durability.WaitAsync(info.LastOffset, TestContext.Current.CancellationToken).AsTask());
        }

        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(10, log.RecoveryPoint);
        Assert.Equal(10, log.Durability.DurableEndOffset);
    }

    [Fact]
    public async Task Os_CountsWhatTheOsHasAsDurable_WithoutMovingTheRecoveryPoint()
    {
        await using var log = PartitionLog.Open(_directory.Path, new LogConfig { FlushMode = FlushMode.Os });

        var info = log.Append(TestBatches.Build(2, 10, 1000));

        Assert.True(log.Durability.WaitAsync(info.LastOffset, TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
        Assert.Equal(0, log.RecoveryPoint);
    }

    [Fact]
    public async Task Os_FsyncsRolledSegmentsInTheBackground()
    {
        await using var log = PartitionLog.Open(_directory.Path, new LogConfig { FlushMode = FlushMode.Os, SegmentBytes = 300 });
        for (var i = 0; i < 5; i++)
        {
            log.Append(TestBatches.Build(2, 50, 1000));
        }

        SpinWait.SpinUntil(() => log.RecoveryPoint > 0, TimeSpan.FromSeconds(10));

        Assert.True(log.RecoveryPoint > 0);
    }

    [Fact]
    public async Task Interval_Close_FlushesAndReleasesParkedWaiters()
    {
        var log = PartitionLog.Open(_directory.Path, new LogConfig { FlushMode = FlushMode.Interval, FlushMs = 60_000 });
        var first = log.Append(TestBatches.Build(1, 10, 1000));
        await log.Durability.WaitAsync(first.LastOffset, TestContext.Current.CancellationToken);
        var second = log.Append(TestBatches.Build(1, 10, 1000));
        var waiter = log.Durability.WaitAsync(second.LastOffset, TestContext.Current.CancellationToken).AsTask();
        Assert.False(waiter.IsCompleted);

        await log.DisposeAsync();

        await waiter.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(2, log.Durability.DurableEndOffset);
    }
}
