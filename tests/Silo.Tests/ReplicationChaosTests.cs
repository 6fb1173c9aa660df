using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Orleans;
using Orlog.Client;
using Orlog.Cluster;
using Orlog.Testing;
using Orlog.Topics;
using Xunit;

namespace Orlog.Silo;

/// <summary>
/// Three silo processes, a topic with replication factor 3 and min.insync.replicas 2, a producer with acks=all
/// at a steady rate: round after round the leader of partition 0 is killed with SIGKILL and restarted. At the
/// end every acknowledged record is read back exactly once, in order per partition. <c>ORLOG_CHAOS_ROUNDS</c>
/// sets the rounds (2 in the default suite; <c>./chaos.sh</c> runs more); <c>ORLOG_CHAOS_LOG_DIR</c>, when set,
/// receives each broker's output.
/// </summary>
public sealed class ReplicationChaosTests
{
    private const string Topic = "chaos";
    private const int Partitions = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SendEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task KillNine_TheLeader_RoundAfterRound_EveryAcknowledgedRecordIsReadOnceInOrder()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("ORLOG_CHAOS_ROUNDS"), CultureInfo.InvariantCulture, out var asked) ? asked : 2;
        var storage = Azurite.ConnectionString;
        var clusterId = $"chaos-{Guid.NewGuid():N}";
        var root = Directory.CreateTempSubdirectory("orlog-chaos-");
        var brokers = ProcessCluster.Brokers(root, storage, clusterId, 3, "--Logging:Console:TimestampFormat=HH:mm:ss.fff ");
        try
        {
            await Task.WhenAll(brokers.Select(b => b.StartAsync()));
            await using var connection = await BrokerConnection.ConnectAsync(storage, clusterId);
            var grains = connection.Client;
            var controller = grains.GetGrain<IControllerGrain>(IControllerGrain.Key);
            ChangeSignal[] brokerLines = [.. brokers.Select(b => b.OutputChanged)];
            await UntilAsync(async () => (await controller.DescribeBrokersAsync()).Count(b => b.Online) == 3, "all three brokers are online", brokerLines);
            await grains.GetGrain<ITopicGrain>(Topic).CreateAsync(new TopicSpec(Topic, Partitions, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" }));

            var loadStarted = Stopwatch.GetTimestamp();
            var load = new SteadyLoad(grains);
            ChangeSignal[] changes = [.. brokerLines, load.Acknowledged];

            // Kills start from steady load, so that each measures a leader's failover under writes: killed during the
            // producer's start-up (its producer id and first leaders still on the way), a broker took every
            // acknowledgement with it for over a minute in 2 of 5 full-suite runs on 2026-11-23 (docs/OPERATIONS.md, known limits).
            await UntilAsync(() => Task.FromResult(load.AllAcknowledgedSince(loadStarted, TimeSpan.Zero)), "every partition takes writes before the first kill", changes, load.Describe);
            var unavailable = new List<TimeSpan>();
            for (var round = 1; round <= rounds; round++)
            {
                var victim = (await controller.LeadershipAsync(new TopicPartition(Topic, 0)))!.Leader;
                var killedAt = Stopwatch.GetTimestamp();
                await brokers[victim - 1].KillAsync();
                await UntilAsync(() => Task.FromResult(load.AllAcknowledgedSince(killedAt, TimeSpan.FromSeconds(1))), $"round {round}: every partition takes writes again after broker {victim} was killed", changes, load.Describe);
                unavailable.Add(load.LongestGapSince(killedAt));
                await brokers[victim - 1].StartAsync();
                await UntilAsync(async () => (await controller.PartitionsAsync(Topic)).All(p => p.Isr.Length == 3), $"round {round}: broker {victim} is back in every ISR", changes);
            }

            var (sent, acknowledged) = await load.StopAsync();
            var (lost, duplicates, outOfOrder) = Check(grains, acknowledged);
            TestContext.Current.SendDiagnosticMessage(
                $"Chaos: {rounds} round(s), {sent} records sent, {acknowledged.Sum(a => a.Count)} acknowledged, {lost} lost, {duplicates} duplicated, {outOfOrder} out of order; " +
                $"longest time without acknowledged writes after each kill: {string.Join(", ", unavailable.Select(u => $"{u.TotalSeconds:F2} s"))}");
            Assert.Equal((0, 0, 0), (lost, duplicates, outOfOrder));
        }
        finally
        {
            foreach (var broker in brokers)
            {
                await broker.DisposeAsync();
                if (Environment.GetEnvironmentVariable("ORLOG_CHAOS_LOG_DIR") is { Length: > 0 } logs)
                {
                    await File.WriteAllTextAsync(Path.Combine(logs, $"{Path.GetFileName(broker.DataDir)}.log"), broker.Output, TestContext.Current.CancellationToken);
                }
            }

            root.Delete(recursive: true);
        }
    }

    /// <summary>A consumer reads every partition from the start to its high watermark: acknowledged values missing, values read twice, values out of order.</summary>
    private static (int Lost, int Duplicates, int OutOfOrder) Check(IGrainFactory grains, IReadOnlyList<HashSet<long>> acknowledged)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetGrainFactory(grains).Build();
        var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Topic, p)).ToList();
        var ends = partitions.Select(p => consumer.QueryWatermarkOffsets(p, Deadline).High.Value).ToList();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var values = partitions.Select(_ => new List<long>()).ToList();
        var started = Stopwatch.GetTimestamp();
        while (Enumerable.Range(0, Partitions).Any(p => consumer.Position(partitions[p]).Value < ends[p]))
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < Deadline, "the checker did not reach the high watermark of every partition in time");
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is { } result)
            {
                values[result.Partition].Add(long.Parse(result.Message.Value, CultureInfo.InvariantCulture));
            }
        }

        int lost = 0, duplicates = 0, outOfOrder = 0;
        for (var p = 0; p < Partitions; p++)
        {
            var read = values[p];
            duplicates += read.Count - read.Distinct().Count();
            outOfOrder += read.Zip(read.Skip(1)).Count(pair => pair.First >= pair.Second);
            lost += acknowledged[p].Count(v => !read.Contains(v));
        }

        return (lost, duplicates, outOfOrder);
    }

    /// <summary>Checks again at every line a broker prints and every acknowledged record (<paramref name="signals"/>), and at least every <see cref="RecheckAfter"/>.</summary>
    private static Task UntilAsync(Func<Task<bool>> condition, string what, ChangeSignal[] signals, Func<string>? state = null) =>
        ClusterWait.UntilAsync(condition, what, Deadline, RecheckAfter, signals, state);

    /// <summary>A producer sending each partition the numbers 0, 1, 2, … one every <see cref="SendEvery"/>, noting what was acknowledged and when.</summary>
    private sealed class SteadyLoad
    {
        private readonly IProducer<string, string> _producer;
        private readonly HashSet<long>[] _acknowledged = [.. Enumerable.Range(0, Partitions).Select(_ => new HashSet<long>())];
        private readonly ConcurrentQueue<(int Partition, long At)> _acks = new();
        private readonly string?[] _lastErrors = new string?[Partitions];
        private readonly Task _sending;
        private long _sent;
        private volatile bool _stopping;

        public SteadyLoad(IGrainFactory grains)
        {
            _producer = new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 2 }).SetGrainFactory(grains).Build();
            _sending = Task.Run(SendAsync);
        }

        /// <summary>Pulses at every acknowledged record.</summary>
        public ChangeSignal Acknowledged { get; } = new();

        /// <summary>Every partition had a write acknowledged more than <paramref name="after"/> past <paramref name="since"/>.</summary>
        public bool AllAcknowledgedSince(long since, TimeSpan after)
        {
            var resumed = new bool[Partitions];
            foreach (var (partition, at) in _acks)
            {
                resumed[partition] |= Stopwatch.GetElapsedTime(since, at) > after;
            }

            return resumed.All(r => r);
        }

        /// <summary>The longest any partition went without an acknowledged write, from <paramref name="since"/> on.</summary>
        public TimeSpan LongestGapSince(long since)
        {
            var longest = TimeSpan.Zero;
            foreach (var group in _acks.Where(a => a.At >= since).GroupBy(a => a.Partition))
            {
                var previous = since;
                foreach (var (_, at) in group.OrderBy(a => a.At))
                {
                    var gap = Stopwatch.GetElapsedTime(previous, at);
                    longest = gap > longest ? gap : longest;
                    previous = at;
                }
            }

            return longest;
        }

        /// <summary>Per partition: when its last write was acknowledged and its last error.</summary>
        public string Describe() => string.Join("; ", Enumerable.Range(0, Partitions).Select(p =>
            $"partition {p}: last acknowledged {(_acks.Where(a => a.Partition == p).Select(a => Stopwatch.GetElapsedTime(a.At).TotalSeconds).DefaultIfEmpty(double.NaN).Min()):F1} s ago, last error {_lastErrors[p] ?? "none"}"));

        /// <summary>Stops sending, waits for every report, returns what was sent and, per partition, the values acknowledged.</summary>
        public async Task<(long Sent, IReadOnlyList<HashSet<long>> Acknowledged)> StopAsync()
        {
            _stopping = true;
            await _sending;
            await _producer.FlushAsync(TestContext.Current.CancellationToken);
            await _producer.DisposeAsync();
            lock (_acknowledged)
            {
                return (_sent, _acknowledged);
            }
        }

        private async Task SendAsync()
        {
            var next = new long[Partitions];
            using var pace = new PeriodicTimer(SendEvery);
            while (!_stopping && await pace.WaitForNextTickAsync())
            {
                for (var p = 0; p < Partitions; p++)
                {
                    var (partition, value) = (p, next[p]++);
                    _producer.Produce(new TopicPartition(Topic, partition), new Message<string, string> { Value = value.ToString(CultureInfo.InvariantCulture) }, report =>
                    {
                        if (report.Error is null)
                        {
                            lock (_acknowledged)
                            {
                                _acknowledged[partition].Add(value);
                            }

                            _acks.Enqueue((partition, Stopwatch.GetTimestamp()));
                            Acknowledged.Pulse();
                        }
                        else
                        {
                            _lastErrors[partition] = $"{DateTime.Now:HH:mm:ss.fff} {report.Error.Message}";
                        }
                    });
                    _sent++;
                }
            }
        }
    }
}
