using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Orlog.Log;

public sealed class LogManagerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task GetOrOpen_CreatesOneDirectoryPerPartition_AndReturnsTheSameLog()
    {
        await using var manager = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path });
        var orders = new TopicPartition("orders.eu-west", 3);

        var log = manager.GetOrOpen(orders, new LogConfig());

        Assert.Same(log, manager.GetOrOpen(orders, new LogConfig()));
        Assert.True(Directory.Exists(Path.Combine(_directory.Path, "orders.eu-west-3")));
        Assert.Equal([orders], manager.ListPartitionsOnDisk());
        Assert.True(manager.TryGet(orders, out var found));
        Assert.Same(log, found);
    }

    [Fact]
    public async Task Dispose_ClosesEveryLogCleanly_AndTheNextManagerFindsTheData()
    {
        var partitions = Enumerable.Range(0, 5).Select(p => new TopicPartition("t", p)).ToList();
        await using (var manager = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path }))
        {
            foreach (var partition in partitions)
            {
                manager.GetOrOpen(partition, new LogConfig()).Append(TestBatches.Build(partition.Partition + 1, 10, 1000));
            }
        }

        await using var next = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path });
        foreach (var partition in partitions)
        {
            var log = next.GetOrOpen(partition, new LogConfig());
            Assert.True(log.Recovery.CleanShutdown);
            Assert.Equal(partition.Partition + 1, log.LogEndOffset);
        }
    }

    [Fact]
    public async Task ManyPartitions_ShareABoundedNumberOfOpenFiles()
    {
        await using var manager = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path, MaxOpenSegmentFiles = 16 });
        var config = new LogConfig { SegmentBytes = 300 };
        for (var p = 0; p < 200; p++)
        {
            var log = manager.GetOrOpen(new TopicPartition("wide", p), config);
            log.Append(TestBatches.Build(2, 50, 1000));
            log.Append(TestBatches.Build(2, 50, 1000));
            Assert.InRange(manager.Handles.OpenCount, 0, 16);
        }

        for (var p = 0; p < 200; p += 13)
        {
            var log = manager.GetOrOpen(new TopicPartition("wide", p), config);
            Assert.Equal(2, new Records.RecordBatchHeader(log.Read(2, 1).Records.Span).BaseOffset);
        }

        Assert.InRange(manager.Handles.OpenCount, 0, 16);
    }

    [Fact]
    public async Task GetOrOpen_AfterAFailedOpen_TriesAgain()
    {
        await using var manager = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path });
        var partition = new TopicPartition("blocked", 0);
        var inTheWay = Path.Combine(_directory.Path, "blocked-0");
        await File.WriteAllTextAsync(inTheWay, "not a directory", TestContext.Current.CancellationToken);

        Assert.ThrowsAny<IOException>(() => manager.GetOrOpen(partition, new LogConfig()));
        File.Delete(inTheWay);

        Assert.Equal(0, manager.GetOrOpen(partition, new LogConfig()).LogEndOffset);
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheDataOfThePartition()
    {
        await using var manager = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path });
        var partition = new TopicPartition("gone", 0);
        manager.GetOrOpen(partition, new LogConfig()).Append(TestBatches.Build(1, 10, 1000));

        await manager.DeleteAsync(partition);

        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "gone-0")));
        Assert.False(manager.TryGet(partition, out _));
        Assert.Equal(0, manager.GetOrOpen(partition, new LogConfig()).LogEndOffset);
    }

    [Fact]
    public async Task ApplyRetention_RunsOverEveryOpenLog()
    {
        await using var manager = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path });
        var config = new LogConfig { SegmentBytes = 300, RetentionBytes = 0 };
        var logs = Enumerable.Range(0, 3).Select(p => manager.GetOrOpen(new TopicPartition("r", p), config)).ToList();
        foreach (var log in logs)
        {
            for (var i = 0; i < 6; i++)
            {
                log.Append(TestBatches.Build(2, 50, 1000));
            }
        }

        var deleted = manager.ApplyRetention();

        Assert.True(deleted >= 3);
        Assert.All(logs, log => Assert.Equal(1, log.SegmentCount));
    }

    [Fact]
    public async Task Start_RunsRetentionInTheBackgroundOnItsInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var options = new LogManagerOptions
        {
            DataDirectory = _directory.Path,
            RetentionCheckInterval = TimeSpan.FromMinutes(5),
            CheckpointInterval = TimeSpan.FromMinutes(1),
        };
        await using var manager = new LogManager(options, time: time);
        var log = manager.GetOrOpen(new TopicPartition("bg", 0), new LogConfig { SegmentBytes = 300, RetentionBytes = 0 });
        for (var i = 0; i < 6; i++)
        {
            log.Append(TestBatches.Build(2, 50, 1000));
        }

        manager.Start();
        var segmentsBefore = log.SegmentCount;
        time.Advance(TimeSpan.FromMinutes(5));

        SpinWait.SpinUntil(() => log.SegmentCount == 1, TimeSpan.FromSeconds(10));

        Assert.True(segmentsBefore > 1);
        Assert.Equal(1, log.SegmentCount);
    }

    [Fact]
    public async Task TenThousandPartitions_OpenAppendAndCloseWithinTheFileBound()
    {
        const int partitions = 10_000;
        var batch = TestBatches.Build(1, 100, 1000);
        await using (var manager = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path, MaxOpenSegmentFiles = 256 }))
        {
            for (var p = 0; p < partitions; p++)
            {
                manager.GetOrOpen(new TopicPartition("wide", p), new LogConfig()).Append(batch.ToArray());
            }

            Assert.InRange(manager.Handles.OpenCount, 1, 256);
        }

        await using var reopened = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path, MaxOpenSegmentFiles = 256 });
        Assert.Equal(partitions, reopened.ListPartitionsOnDisk().Count);
        for (var p = 0; p < partitions; p += 997)
        {
            var log = reopened.GetOrOpen(new TopicPartition("wide", p), new LogConfig());
            Assert.True(log.Recovery.CleanShutdown);
            Assert.Equal(1, log.LogEndOffset);
        }
    }
}
