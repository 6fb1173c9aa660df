using System.Globalization;
using Orlog.Client;

namespace Orlog.Cli;

/// <summary>Kafka's <c>--consumer-property key=value</c>: consumer settings by their Kafka names.</summary>
internal static class ConsumerProperties
{
    private static readonly Dictionary<string, Action<ConsumerConfig, string>> Setters = new(StringComparer.Ordinal)
    {
        ["client.id"] = (c, v) => c.ClientId = v,
        ["group.instance.id"] = (c, v) => c.GroupInstanceId = v,
        ["session.timeout.ms"] = (c, v) => c.SessionTimeoutMs = Int(v),
        ["heartbeat.interval.ms"] = (c, v) => c.HeartbeatIntervalMs = Int(v),
        ["max.poll.interval.ms"] = (c, v) => c.MaxPollIntervalMs = Int(v),
        ["auto.commit.interval.ms"] = (c, v) => c.AutoCommitIntervalMs = Int(v),
        ["fetch.min.bytes"] = (c, v) => c.FetchMinBytes = Int(v),
        ["fetch.max.wait.ms"] = (c, v) => c.FetchMaxWaitMs = Int(v),
        ["max.partition.fetch.bytes"] = (c, v) => c.MaxPartitionFetchBytes = Int(v),
        ["partition.assignment.strategy"] = (c, v) => c.PartitionAssignmentStrategy = v switch
        {
            "cooperative-sticky" => PartitionAssignmentStrategy.CooperativeSticky,
            "range" => PartitionAssignmentStrategy.Range,
            "roundrobin" => PartitionAssignmentStrategy.RoundRobin,
            _ => throw new ArgumentException($"partition.assignment.strategy takes cooperative-sticky, range or roundrobin; got '{v}'."),
        },
    };

    /// <exception cref="ArgumentException">Not <c>key=value</c>, an unknown key, or a value that does not parse.</exception>
    public static void Apply(ConsumerConfig config, IEnumerable<string> properties)
    {
        foreach (var property in properties)
        {
            var equals = property.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--consumer-property takes key=value; got '{property}'.");
            }

            var key = property[..equals];
            if (!Setters.TryGetValue(key, out var set))
            {
                throw new ArgumentException($"Unknown consumer property '{key}'; known: {string.Join(", ", Setters.Keys.Order(StringComparer.Ordinal))}.");
            }

            set(config, property[(equals + 1)..]);
        }
    }

    private static int Int(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"'{value}' is not a whole number.");
}
