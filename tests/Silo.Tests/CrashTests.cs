using System.Buffers.Binary;
using System.Collections.Concurrent;
using Orleans.Concurrency;
using Orlog.Partitions;
using Orlog.Records;
using Orlog.Topics;
using Xunit;

namespace Orlog.Silo;

/// <summary>Real crashes: the silo process is killed with SIGKILL mid-stream and started again on its data.</summary>
public sealed class CrashTests
{
    private const int RecordsPerBatch = 10;
    private const int Producers = 8;
    private const int AckedRecordsBeforeKill = 20_000;

    [Fact]
    public async Task KillNine_UnderGroupCommit_KeepsEveryAcknowledgedRecordExactlyOnce()
    {
        var data = Directory.CreateTempSubdirectory("orlog-crash-");
        try
        {
            await using var silo = new SiloProcess(data.FullName);
            await silo.StartAsync();
            var acknowledged = new ConcurrentDictionary<long, long>();
            await using (var connection = await BrokerConnection.ConnectAsync(silo))
            {
                await connection.Client.GetGrain<ITopicGrain>("crash").CreateAsync(
                    new TopicSpec("crash", 1, 1, new Dictionary<string, string> { ["flush.policy"] = "interval", ["flush.ms"] = "5" }));
                var partition = connection.Client.GetGrain<IPartitionGrain>(PartitionKey.Format("crash", 0));
                using var stop = new CancellationTokenSource();
                var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                long sequence = 0;
                var producers = Enumerable.Range(0, Producers)
                    .Select(_ => Task.Run(() => ProduceUntilFailureAsync(partition, () => Interlocked.Increment(ref sequence), acknowledged, enoughAcknowledged, stop.Token)))
                    .ToArray();

                try
                {
                    await enoughAcknowledged.Task.WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"{AckedRecordsBeforeKill} records were not acknowledged within 120 s. Silo output:\n{silo.Output}");
                }

                await silo.KillAsync();
                await Task.WhenAll(producers);
            }

            await silo.StartAsync();
            await using var after = await BrokerConnection.ConnectAsync(silo);
            var stored = await ReadAllAsync(after.Client.GetGrain<IPartitionGrain>(PartitionKey.Format("crash", 0)));

            Assert.True(acknowledged.Count >= AckedRecordsBeforeKill);
            foreach (var (offset, value) in acknowledged)
            {
                Assert.True(stored.TryGetValue(offset, out var found) && found == value, $"Acknowledged record {value} at offset {offset} is missing or different after the crash.");
            }

            Assert.Equal(stored.Count, stored.Values.Distinct().Count());
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>Produces batches with acks=all until the broker stops answering; records what was acknowledged.</summary>
    private static async Task ProduceUntilFailureAsync(IPartitionGrain partition, Func<long> nextBatch, ConcurrentDictionary<long, long> acknowledged, TaskCompletionSource enoughAcknowledged, CancellationToken stop)
    {
        var builder = new RecordBatchBuilder();
        var value = new byte[8];
        while (!stop.IsCancellationRequested)
        {
            var batch = nextBatch();
            builder.Reset();
            for (var i = 0; i < RecordsPerBatch; i++)
            {
                BinaryPrimitives.WriteInt64BigEndian(value, (batch * RecordsPerBatch) + i);
                builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), key: null, value: value.ToArray());
            }

            ProduceResult result;
            try
            {
                result = await partition.ProduceAsync(new Immutable<byte[]>(builder.Build()), Acks.All);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // The silo was killed: every request in flight fails. Nothing more is acknowledged.
                return;
            }

            for (var i = 0; i < RecordsPerBatch; i++)
            {
                acknowledged[result.BaseOffset + i] = (batch * RecordsPerBatch) + i;
            }

            if (acknowledged.Count >= AckedRecordsBeforeKill)
            {
                enoughAcknowledged.TrySetResult();
            }
        }
    }

    private static async Task<Dictionary<long, long>> ReadAllAsync(IPartitionGrain partition)
    {
        var stored = new Dictionary<long, long>();
        var end = (await partition.ListOffsetsAsync(OffsetSpec.Latest)).Offset;
        var offset = 0L;
        while (offset < end)
        {
            var fetched = await partition.FetchAsync(offset, 1 << 20, 1, TimeSpan.Zero);
            offset = Decode(fetched.Records, stored);
        }

        return stored;
    }

    /// <summary>Adds every record of the batches to <paramref name="stored"/>; returns the offset after the last.</summary>
    private static long Decode(byte[] batches, Dictionary<long, long> stored)
    {
        var next = 0L;
        var at = 0;
        while (at < batches.Length)
        {
            var size = new RecordBatchHeader(batches.AsSpan(at)).SizeInBytes;
            using var reader = new RecordBatchReader(batches.AsSpan(at, size));
            foreach (var record in reader)
            {
                stored.Add(record.Offset, BinaryPrimitives.ReadInt64BigEndian(record.Value));
                next = record.Offset + 1;
            }

            at += size;
        }

        return next;
    }
}
