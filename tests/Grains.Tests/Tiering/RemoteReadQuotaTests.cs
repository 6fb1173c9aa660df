using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orlog.Log;
using Xunit;

namespace Orlog.Tiering;

/// <summary>The remote read quota (<see cref="TieringOptions.MaxReadBytesPerSecond"/>) on a fake clock: reads past the budget wait for time to pass.</summary>
public sealed class RemoteReadQuotaTests : IDisposable
{
    private static readonly TopicPartition Partition = new("quota", 0);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ReadsBeyondTheQuota_WaitForTheClock()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UtcNow);
        await using var logs = new LogManager(new LogManagerOptions { DataDirectory = Path.Combine(_directory.Path, "logs") }, time: time);
        var log = logs.GetOrOpen(Partition, new LogConfig { SegmentBytes = 256 * 1024, RemoteStorageEnable = true });
        for (var i = 0; i < 300; i++)
        {
            log.Append(TestBatches.Build(10, 100, time.GetUtcNow().ToUnixTimeMilliseconds()));
        }

        log.Append(TestBatches.Build(1, 10, time.GetUtcNow().ToUnixTimeMilliseconds()));
        var options = new TieringOptions { ReadChunkBytes = 64 * 1024, MaxReadBytesPerSecond = 64 * 1024 };
        using var tier = new RemoteTier(new LocalDirectoryRemoteStore(Path.Combine(_directory.Path, "cold")), options, time, NullLoggerFactory.Instance);
        await tier.RunAsync(Partition, log, TestContext.Current.CancellationToken);
        Assert.True(log.RemoteCopiedOffset > 0, "No segment was copied.");

        time.WatchTimers();
        var read = tier.ReadAsync(Partition, 0, 256 * 1024, TestContext.Current.CancellationToken);

        // The second 64 KiB chunk must wait for the clock: the read stands still until it moves.
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(read.IsCompleted, "A 256 KiB read finished without waiting under a 64 KiB/s quota.");

        // Ten seconds let every chunk through; a wait that began just as the clock moved needs one more move.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!read.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < until, "The read did not finish as the clock moved.");
            time.WatchTimers();
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(read, time.TimerCreated).WaitAsync(until - DateTime.UtcNow, TestContext.Current.CancellationToken);
        }

        var records = await read;

        Assert.True(records!.Length > 128 * 1024);
    }

    /// <summary>A fake clock that tells when code starts waiting on it (creates a timer, as an awaited delay does).</summary>
    private sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _timerCreated.Task;

        /// <summary>Forgets timers made so far; <see cref="TimerCreated"/> completes at the next one.</summary>
        public void WatchTimers() => _timerCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timerCreated.TrySetResult();
            return timer;
        }
    }
}
