using Orleans;
using Orlog.Groups;
using Orlog.Testing;
using Xunit;

namespace Orlog.Client.Integration.Groups;

/// <summary>What the group tests share: topics, consumers run in loops with a connection that can be cut, and waiting on conditions.</summary>
internal static class GroupTestCluster
{
    public const int SessionTimeoutMs = 1_500;
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static ConsumerConfig Config(string group, bool autoCommit, AutoOffsetReset reset, string? instanceId = null, int sessionTimeoutMs = SessionTimeoutMs, int maxPollIntervalMs = ConsumerConfig.DefaultMaxPollIntervalMs) => new()
    {
        MaxPollIntervalMs = maxPollIntervalMs,
        GroupId = group,
        GroupInstanceId = instanceId,
        SessionTimeoutMs = sessionTimeoutMs,
        HeartbeatIntervalMs = 250,
        EnableAutoCommit = autoCommit,
        AutoCommitIntervalMs = 100,
        AutoOffsetReset = reset,
        FetchMaxWaitMs = 100,
    };

    /// <summary>A subscribed consumer on its own thread, auto-committing, reading from the earliest offset.</summary>
    public static ConsumerLoop Start(ClientClusterFixture fixture, string name, string group, string topic, out KillableGroupClient connection, string? instanceId = null, int sessionTimeoutMs = SessionTimeoutMs, int maxPollIntervalMs = ConsumerConfig.DefaultMaxPollIntervalMs) =>
        Start(fixture.Cluster.Client, name, group, topic, out connection, instanceId, sessionTimeoutMs, maxPollIntervalMs);

    /// <inheritdoc cref="Start(ClientClusterFixture, string, string, string, out KillableGroupClient, string?, int, int)"/>
    public static ConsumerLoop Start(IGrainFactory cluster, string name, string group, string topic, out KillableGroupClient connection, string? instanceId = null, int sessionTimeoutMs = SessionTimeoutMs, int maxPollIntervalMs = ConsumerConfig.DefaultMaxPollIntervalMs)
    {
        var client = new OrlogClient(cluster);
        var groups = new KillableGroupClient(new GrainGroupClient(client));
        connection = groups;
        var config = Config(group, autoCommit: true, AutoOffsetReset.Earliest, instanceId, sessionTimeoutMs, maxPollIntervalMs);
        return new ConsumerLoop(name, handlers => new Consumer<string, string>(config, Deserializers.Utf8, Deserializers.Utf8, new GrainFetchClient(client), groups, handlers, TimeProvider.System), topic);
    }

    /// <summary>Every member holds <paramref name="each"/> partitions and no partition is held twice.</summary>
    public static bool Balanced(IReadOnlyList<ConsumerLoop> members, int each)
    {
        var held = members.Select(m => m.Assignment).ToList();
        return held.All(h => h.Count == each) && held.SelectMany(h => h).Distinct().Count() == each * members.Count;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it again whenever one of
    /// <paramref name="members"/> changes (assignment, records, errors); fails after <see cref="Deadline"/>,
    /// saying what each member holds.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, string what, params ConsumerLoop[] members) =>
        Assert.True(
            await ChangeSignal.WaitUntilAsync(condition, Deadline, [.. members.Select(m => m.Changed)]),
            $"Timed out waiting until {what}. " + string.Join("; ", members.Select(m => $"{m.Name}: [{string.Join(",", m.Assignment)}] errors {string.Join(" | ", m.Errors.Select(e => e.Message))}")));

    public static async Task<string> CreateTopicAsync(ClientClusterFixture fixture, int partitions)
    {
        var topic = $"gt-{Guid.NewGuid():N}"[..16];
        await using var admin = new AdminClientBuilder(new AdminClientConfig()).SetGrainFactory(fixture.Cluster.Client).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions }], TestContext.Current.CancellationToken);
        return topic;
    }

    public static IConsumerGroupGrain Group(ClientClusterFixture fixture, string group) => fixture.Cluster.Client.GetGrain<IConsumerGroupGrain>(group);

    /// <summary>Stops the loops and disposes their consumers.</summary>
    public sealed class Disposer(params ConsumerLoop[] loops) : IDisposable
    {
        public void Dispose()
        {
            foreach (var loop in loops)
            {
                loop.Dispose();
                loop.Consumer.Dispose();
            }
        }
    }
}
