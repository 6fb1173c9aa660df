using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orlog.Groups;
using Orlog.Storage;
using Orlog.Streams;
using Orlog.Testing;
using Xunit;

namespace Orlog.Client.Integration.Streams;

/// <summary>
/// A silo that runs pulling agents dies (killed, no shutdown) in a two-silo cluster: the other silo's
/// agents take its partitions from their checkpoints (the provider's consumer-group offsets), every event
/// reaches the implicit subscribers, and only events at or past a checkpoint are delivered twice.
/// </summary>
public sealed class StreamFailoverTests() : MultiSiloBroker("orlog-stream-failover-", 2)
{
    private const string Provider = "orlog";
    private const int Partitions = 4;
    private const int Streams = 12;
    private const int EventsPerStream = 10;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly AgentLog _agents = new();

    [Fact]
    public async Task KillingASiloThatRunsPullingAgents_TheOtherSiloGoesOnFromTheCheckpoints_AndNothingIsLost()
    {
        var keys = Enumerable.Range(0, Streams).Select(i => $"fo{i}-{Guid.NewGuid():N}"[..16]).ToArray();
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 0 }).SetGrainFactory(Cluster.Client).Build();

        var produced = await ProduceAsync(producer, keys, "first");
        await UntilReceivedAsync(produced, "the first events");
        await UntilAsync(async () => (await CheckpointsAsync()).Values.Sum() >= produced.Count, "the checkpoints cover the first events");
        produced.AddRange(await ProduceAsync(producer, keys, "second"));
        await UntilReceivedAsync(produced, "the second events");

        var checkpoints = await CheckpointsAsync();
        var beforeKill = _agents.All;
        var owners = AgentLog.Owners(beforeKill);
        var victim = Cluster.Silos.First(silo => owners.ContainsValue(silo.Name));
        var survivor = Cluster.Silos.Single(silo => silo != victim).Name;
        var moved = owners.Where(owner => owner.Value == victim.Name).Select(owner => owner.Key).ToList();
        await Cluster.KillSiloAsync(victim, TestContext.Current.CancellationToken);

        produced.AddRange(await ProduceAsync(producer, keys, "third"));
        await UntilReceivedAsync(produced, "every event, after the kill");
        IEnumerable<AgentEvent> StartsAfterKill() => _agents.All.Skip(beforeKill.Count).Where(e => e.Silo == survivor && e.Started);
        Assert.True(
            await ChangeSignal.WaitUntilAsync(() => moved.All(p => StartsAfterKill().Any(s => s.Partition == p)), Deadline, _agents.Changed),
            $"The survivor did not start reading every partition of the dead silo ({string.Join(", ", moved)}).");

        foreach (var partition in moved)
        {
            var start = StartsAfterKill().First(s => s.Partition == partition);
            Assert.True(start.FromCheckpoint, $"The survivor started {partition} without a checkpoint.");
            Assert.True(start.Offset >= checkpoints[partition], $"The survivor started {partition} at {start.Offset}, before the checkpoint {checkpoints[partition]} read before the kill.");
        }

        foreach (var key in keys)
        {
            var received = ReadingRecorderGrain.Log.Of(key);
            var firsts = received.DistinctBy(r => r.Offset).ToList();
            Assert.Equal(produced.Where(p => p.Key == key).Select(p => p.Offset), firsts.Select(r => r.Offset));
            var partition = produced.First(p => p.Key == key).Partition;
            var again = received.Count - firsts.Count;
            Assert.True(
                received.GroupBy(r => r.Offset).Where(g => g.Count() > 1).All(g => g.Key >= checkpoints[partition]),
                $"Stream {key} ({partition}) had events below its checkpoint {checkpoints[partition]} delivered twice ({again} repeats).");
            TestContext.Current.SendDiagnosticMessage($"{key} on {partition}: {firsts.Count} events, {again} delivered again");
        }
    }

    private sealed record Produced(string Key, string Partition, long Offset);

    /// <summary>Produces <see cref="EventsPerStream"/> events to every stream, in order per stream.</summary>
    private static async Task<List<Produced>> ProduceAsync(IProducer<string, string> producer, string[] keys, string phase)
    {
        var produced = new List<Produced>();
        for (var i = 0; i < EventsPerStream; i++)
        {
            var sends = keys.Select(key => producer.ProduceAsync(
                StreamClusterFixture.Topic,
                new Message<string, string> { Key = key, Value = JsonSerializer.Serialize(new { text = $"{phase}-{i}" }) },
                TestContext.Current.CancellationToken)).ToList();
            foreach (var result in await Task.WhenAll(sends))
            {
                produced.Add(new Produced(result.Message.Key, new TopicPartition(result.Topic, result.Partition).ToString(), result.Offset.Value));
            }
        }

        return produced;
    }

    private async Task UntilReceivedAsync(List<Produced> produced, string what)
    {
        bool Missing(Produced p) => !ReadingRecorderGrain.Log.Of(p.Key).Any(r => r.Offset == p.Offset);
        if (!await ChangeSignal.WaitUntilAsync(() => !produced.Any(Missing), Deadline, ReadingRecorderGrain.Log.Changed))
        {
            var missing = produced.Where(Missing).GroupBy(p => p.Partition).Select(g => $"{g.Key}: {g.Count()} from offset {g.Min(p => p.Offset)}");
            var agents = _agents.All.Select(e => $"{e.Silo} {(e.Started ? "started" : "stopped")} {e.Partition}@{e.Offset}{(e.FromCheckpoint ? " (checkpoint)" : "")}");
            Assert.Fail($"Timed out waiting until the subscribers had {what}; missing {string.Join("; ", missing)}. Agents: {string.Join(", ", agents)}.");
        }
    }

    /// <summary>The provider's committed delivery position of every partition (0 where none is committed).</summary>
    private async Task<Dictionary<string, long>> CheckpointsAsync()
    {
        var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(StreamClusterFixture.Topic, p)).ToList();
        var committed = await Cluster.Client.GetGrain<IConsumerGroupGrain>(Provider).FetchOffsetsAsync(partitions);
        return partitions.ToDictionary(p => p.ToString(), p => committed.FirstOrDefault(c => c.Partition == p)?.Offset ?? 0);
    }

    protected override void ConfigureSilo(string siloName, ISiloBuilder silo)
    {
        silo.AddFileGrainStorage("PubSubStore", storage => storage.RootDirectory = Path.Combine(Root, "pubsub"));
        silo.AddOrlogStreams(Provider, options =>
        {
            options.Topics.Add(StreamClusterFixture.Topic);
            options.PartitionsForNewTopics = Partitions;
            options.ReplicationFactorForNewTopics = 2;
            options.FetchMaxWait = TimeSpan.FromMilliseconds(200);
        });
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = TimeSpan.FromMilliseconds(500);
            membership.MaxProbeTimeout = membership.ProbeTimeout;
        });
        silo.Services.AddSingleton(_agents.RecorderFor(siloName));
    }
}
