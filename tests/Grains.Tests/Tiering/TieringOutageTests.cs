using Microsoft.Extensions.Logging.Abstractions;
using Orlog.Azure;
using Orlog.Errors;
using Orlog.Log;
using Xunit;

namespace Orlog.Tiering;

/// <summary>
/// The Azure Blob remote tier going away mid-run (the connection to Azurite cut and restored):
/// appends and local reads go on, no uncopied segment leaves the local disk, and tiering catches up
/// once the store is back.
/// </summary>
public sealed class TieringOutageTests : IDisposable
{
    private static readonly TopicPartition Partition = new("outage", 0);
    private static readonly LogConfig Config = new() { SegmentBytes = 4096, RemoteStorageEnable = true, LocalRetentionBytes = 0 };
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WhileTheStoreIsDown_AppendsAndLocalReadsGoOn_AndTieringCatchesUpAfterwards()
    {
        await using var network = new TcpRelay(Azurite.BlobPort);
        network.Start();
        await using var logs = new LogManager(new LogManagerOptions { DataDirectory = _directory.Path });
        var store = new AzureBlobRemoteStore(new AzureBlobRemoteStoreOptions { ConnectionString = Azurite.ConnectionStringVia(network.Port), ContainerName = $"outage-{Guid.NewGuid():N}" });
        using var tier = new RemoteTier(store, new TieringOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        var log = logs.GetOrOpen(Partition, Config);
        Append(log, 40);
        await tier.RunAsync(Partition, log, TestContext.Current.CancellationToken);
        var copiedBefore = log.RemoteCopiedOffset;
        Assert.True(copiedBefore > 0);

        await network.CutAsync();
        Append(log, 40);
        var error = await Assert.ThrowsAsync<OrlogException>(() => tier.RunAsync(Partition, log, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
        log.ApplyRetention();
        Assert.Equal(copiedBefore, log.RemoteCopiedOffset);
        Assert.Equal(copiedBefore + 1, log.LogStartOffset);
        Assert.Equal(log.LogEndOffset - log.LogStartOffset, CountRecords(TestBatches.ReadAll(log)));

        network.Start();
        await tier.RunAsync(Partition, log, TestContext.Current.CancellationToken);
        log.ApplyRetention();

        Assert.True(log.RemoteCopiedOffset > copiedBefore);
        Assert.Equal(log.RemoteCopiedOffset + 1, log.LogStartOffset);
        var finished = tier.For(Partition).Manifest.Segments;
        Assert.All(finished, s => Assert.Equal(RemoteSegmentState.CopyFinished, s.State));
        Assert.Equal(0, finished[0].BaseOffset);
        for (var i = 1; i < finished.Count; i++)
        {
            Assert.Equal(finished[i - 1].LastOffset + 1, finished[i].BaseOffset);
        }

        var fromRemote = await tier.ReadAsync(Partition, 0, 1 << 20, TestContext.Current.CancellationToken);
        Assert.Equal(0, TestBatches.BaseOffset(TestBatches.Split(fromRemote)[0]));
    }

    private static void Append(PartitionLog log, int batches)
    {
        for (var i = 0; i < batches; i++)
        {
            log.Append(TestBatches.Build(5, 100, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
    }

    private static long CountRecords(List<byte[]> batches) =>
        batches.Sum(b => TestBatches.NextOffset(b) - TestBatches.BaseOffset(b));
}
