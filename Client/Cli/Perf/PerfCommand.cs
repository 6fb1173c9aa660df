using System.CommandLine;

namespace Orlog.Cli.Perf;

/// <summary><c>orlog perf produce|consume|latency|rebalance|commits</c>: load tests whose output reads like Kafka's perf tools.</summary>
internal static class PerfCommand
{
    public static Command Create()
    {
        var perf = new Command("perf", "Measure throughput and latency, as kafka-producer-perf-test and kafka-consumer-perf-test.");
        perf.Subcommands.Add(PerfProduceCommand.Create());
        perf.Subcommands.Add(PerfConsumeCommand.Create());
        perf.Subcommands.Add(PerfLatencyCommand.Create());
        perf.Subcommands.Add(PerfRebalanceCommand.Create());
        perf.Subcommands.Add(PerfCommitsCommand.Create());
        return perf;
    }
}
