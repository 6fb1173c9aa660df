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
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
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

        var read = tier.ReadAsync(Partition, 0, 256 * 1024, TestContext.Current.CancellationToken);
        var finishedEarly = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken)) == read;
        time.Advance(TimeSpan.FromSeconds(10));
        var records = await read.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(finishedEarly, "A 256 KiB read finished within the first second of a 64 KiB/s quota.");
        Assert.True(records!.Length > 128 * 1024);
    }
}
