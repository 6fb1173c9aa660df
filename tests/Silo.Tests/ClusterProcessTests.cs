using System.Diagnostics;
using Orleans;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Errors;
using Orlog.Partitions;
using Orlog.Records;
using Orlog.Topics;
using Orlog.Testing;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Silo;

/// <summary>
/// Three silo processes forming one cluster through the Azure membership table (Azurite), metadata
/// in Azure Blob. One is killed with SIGKILL: the others declare it dead, the partitions of the live
/// brokers keep serving, the dead broker's partitions answer LEADER_NOT_AVAILABLE; restarted on its
/// data directory it is the same broker and serves every acknowledged record again.
/// </summary>
public sealed class ClusterProcessTests
{
    private const string Topic = "spread";
    private const int Partitions = 6;
    private const int BatchesPerPartition = 3;
    private const int RecordsPerBatch = 4;
    private const int KilledBroker = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task KillNine_OneOfThreeBrokers_OthersServe_ItsPartitionsGoOffline_AndReturnWithTheirData()
    {
        var storage = Azurite.ConnectionString;
        var clusterId = $"test-{Guid.NewGuid():N}";
        var root = Directory.CreateTempSubdirectory("orlog-cluster-");
        var brokers = ProcessCluster.Brokers(root, storage, clusterId, 3);
        try
        {
            ChangeSignal[] brokerLines = [.. brokers.Select(b => b.OutputChanged)];
            await Task.WhenAll(brokers.Select(b => b.StartAsync()));
            await using var connection = await BrokerConnection.ConnectAsync(storage, clusterId);
            var grains = connection.Client;
            var controller = grains.GetGrain<IControllerGrain>(IControllerGrain.Key);
            await UntilAsync(brokerLines, async () => (await controller.DescribeBrokersAsync()).Count(b => b.Online) == 3, "all three brokers are online");

            await grains.GetGrain<ITopicGrain>(Topic).CreateAsync(new TopicSpec(Topic, Partitions));
            var leaders = (await controller.PartitionsAsync(Topic)).Select(p => Assert.Single(p.Replicas)).ToArray();
            Assert.Equal([1, 1, 2, 2, 3, 3], leaders.Order());

            var acknowledged = new long[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                for (var b = 0; b < BatchesPerPartition; b++)
                {
                    acknowledged[p] = (await Partition(grains, p).ProduceAsync(new Immutable<byte[]>(Batch()), Acks.All)).LastOffset + 1;
                }

                for (var id = 1; id <= 3; id++)
                {
                    Assert.Equal(leaders[p] == id, Directory.Exists(Path.Combine(brokers[id - 1].DataDir, "logs", $"{Topic}-{p}")));
                }
            }

            var killedAt = Stopwatch.GetTimestamp();
            await brokers[KilledBroker - 1].KillAsync();
            await UntilAsync(brokerLines, async () => !(await controller.DescribeBrokersAsync()).Single(b => b.BrokerId == KilledBroker).Online, "the killed broker is declared dead");
            TestContext.Current.SendDiagnosticMessage($"Broker {KilledBroker} was declared dead {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:F1} s after kill -9.");
            var brokersSeen = await CliProcess.RunOnClusterAsync(storage, clusterId, null, "cluster", "describe");
            Assert.True(brokersSeen.ExitCode == 0, brokersSeen.Error);
            Assert.Equal(["1 online", "2 offline", "3 online"], CliProcess.DataRows(brokersSeen.Output).Select(r => $"{r[0]} {r[3]}"));
            var partitionsSeen = await CliProcess.RunOnClusterAsync(storage, clusterId, null, "topics", "describe", Topic);
            Assert.Equal(
                leaders.Select((leader, p) => leader == KilledBroker ? $"{p} -1 offline" : $"{p} {leader} online"),
                CliProcess.DataRows(partitionsSeen.Output).Where(r => r.Length == 6).Select(r => $"{r[0]} {r[1]} {r[5]}"));

            for (var p = 0; p < Partitions; p++)
            {
                if (leaders[p] == KilledBroker)
                {
                    var partition = p;
                    await UntilAsync(brokerLines, () => FailsWithAsync(() => Partition(grains, partition).ProduceAsync(new Immutable<byte[]>(Batch()), Acks.All), ErrorCode.LeaderNotAvailable), $"partition {p} reports offline on produce");
                    var offline = await Assert.ThrowsAsync<OrlogException>(() => Partition(grains, partition).FetchAsync(0, 1 << 20, 0, TimeSpan.Zero));
                    Assert.Equal(ErrorCode.LeaderNotAvailable, offline.Code);
                }
                else
                {
                    acknowledged[p] = (await Partition(grains, p).ProduceAsync(new Immutable<byte[]>(Batch()), Acks.All)).LastOffset + 1;
                    Assert.Equal(acknowledged[p], await CountRecordsAsync(Partition(grains, p)));
                }
            }

            await brokers[KilledBroker - 1].StartAsync();
            await UntilAsync(brokerLines, async () => (await controller.DescribeBrokersAsync()).Single(b => b.BrokerId == KilledBroker).Online, "the broker is back");
            for (var p = 0; p < Partitions; p++)
            {
                if (leaders[p] == KilledBroker)
                {
                    var partition = Partition(grains, p);
                    await UntilAsync(brokerLines, async () => !await FailsWithAsync(() => partition.ListOffsetsAsync(OffsetSpec.Latest), ErrorCode.LeaderNotAvailable), $"partition {p} is served again");
                    Assert.Equal(acknowledged[p], await CountRecordsAsync(partition));
                    Assert.Equal(acknowledged[p], (await partition.ProduceAsync(new Immutable<byte[]>(Batch()), Acks.All)).BaseOffset);
                }
            }
        }
        finally
        {
            foreach (var broker in brokers)
            {
                await broker.DisposeAsync();
            }

            root.Delete(recursive: true);
        }
    }

    private static IPartitionGrain Partition(IGrainFactory grains, int partition) => grains.GetGrain<IPartitionGrain>(PartitionKey.Format(Topic, partition));

    private static async Task<long> CountRecordsAsync(IPartitionGrain partition)
    {
        long offset = 0;
        while (true)
        {
            var fetched = await partition.FetchAsync(offset, 1 << 20, 0, TimeSpan.Zero);
            if (fetched.Records.Length == 0)
            {
                return offset;
            }

            for (var at = 0; at < fetched.Records.Length;)
            {
                var header = new RecordBatchHeader(fetched.Records.AsSpan(at));
                Assert.Equal(offset, header.BaseOffset);
                offset = header.NextOffset;
                at += header.SizeInBytes;
            }
        }
    }

    /// <summary>True when the call fails with <paramref name="code"/>; false when it succeeds. Other failures propagate.</summary>
    private static async Task<bool> FailsWithAsync(Func<Task> call, ErrorCode code)
    {
        try
        {
            await call();
            return false;
        }
        catch (OrlogException e) when (e.Code == code)
        {
            return true;
        }
    }

    /// <summary>Checks again at every line a broker prints, and at least every <see cref="RecheckAfter"/>; fails after <see cref="Deadline"/>.</summary>
    private static Task UntilAsync(ChangeSignal[] brokerLines, Func<Task<bool>> condition, string what) =>
        ClusterWait.UntilAsync(condition, what, Deadline, RecheckAfter, brokerLines);

    private static byte[] Batch()
    {
        var builder = new RecordBatchBuilder();
        for (var r = 0; r < RecordsPerBatch; r++)
        {
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, new byte[64]);
        }

        return builder.Build();
    }
}
