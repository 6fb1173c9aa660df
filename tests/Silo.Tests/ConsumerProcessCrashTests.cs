using System.Globalization;
using System.Text;
using Orlog.Testing;
using Xunit;

namespace Orlog.Silo;

/// <summary>
/// Two <c>orlog consume --group</c> processes share a topic; one is killed with SIGKILL. Its
/// partitions move to the other once its session times out, and every record is printed, with
/// duplicates only on the dead consumer's partitions.
/// </summary>
public sealed class ConsumerProcessCrashTests
{
    private const string Topic = "orders";
    private const string Group = "shippers";
    private const int Partitions = 4;
    private const int Batch = 2_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly string[] FastGroup =
    [
        "session.timeout.ms=2000",
        "heartbeat.interval.ms=300",
        "auto.commit.interval.ms=200",
    ];

    [Fact]
    public async Task AKilledConsumersPartitions_MoveToTheOther_AndNoRecordIsLost()
    {
        var data = Directory.CreateTempSubdirectory("orlog-consumer-crash-");
        try
        {
            await using var silo = new SiloProcess(data.FullName, "--Orlog:Groups:MinSessionTimeoutMs=1000");
            await silo.StartAsync();
            await RunAsync(silo, null, "topics", "create", Topic, "--partitions", $"{Partitions}");

            await using var doomed = new ConsumerProcess(silo, Topic, Group, FastGroup);
            await using var survivor = new ConsumerProcess(silo, Topic, Group, FastGroup);
            // Stable with two members: cooperative-sticky has given each two of the four partitions.
            await CliProcess.UntilOutputAsync(
                silo,
                output => output.Contains("state Stable", StringComparison.Ordinal) && output.Contains("2 member(s)", StringComparison.Ordinal),
                "the two consumers hold two partitions each",
                "groups",
                "describe",
                Group);
            await ProduceAsync(silo, 0, Batch);
            await UntilAsync(() => Seen(doomed, survivor).Count == Batch, "both consumers together printed the first batch", doomed, survivor);
            Assert.NotEmpty(doomed.Printed);
            Assert.NotEmpty(survivor.Printed);
            var doomedPartitions = doomed.Printed.Select(p => p.Partition).ToHashSet();

            await doomed.KillAsync();
            await ProduceAsync(silo, Batch, Batch);
            await UntilAsync(() => Seen(doomed, survivor).Count == 2 * Batch, "every record of both batches was printed", doomed, survivor);

            Assert.Equal(Enumerable.Range(0, Partitions).ToHashSet(), survivor.Printed.Where(p => p.Offset >= 0).Select(p => p.Partition).ToHashSet());
            var duplicates = doomed.Printed.Concat(survivor.Printed).GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key.Partition).ToHashSet();
            Assert.Subset(doomedPartitions, duplicates);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static HashSet<(int, long)> Seen(params ConsumerProcess[] consumers) =>
        [.. consumers.SelectMany(c => c.Printed)];

    private static async Task UntilAsync(Func<bool> condition, string what, params ConsumerProcess[] consumers) =>
        Assert.True(
            await ChangeSignal.WaitUntilAsync(condition, Deadline, [.. consumers.Select(c => c.Changed)]),
            $"Timed out waiting until {what}; printed {string.Join(", ", consumers.Select(c => c.Printed.Count))}; errors: {string.Join(" | ", consumers.SelectMany(c => c.Errors))}");

    private static async Task ProduceAsync(SiloProcess silo, int first, int count)
    {
        var input = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            input.Append(CultureInfo.InvariantCulture, $"k{i}:{i}\n");
        }

        await RunAsync(silo, input.ToString(), "produce", Topic, "--key-separator", ":");
    }

    private static async Task RunAsync(SiloProcess silo, string? input, params string[] args)
    {
        var (exitCode, _, error) = await CliProcess.RunAsync(silo, input, args);
        Assert.True(exitCode == 0, $"orlog {string.Join(' ', args)} failed ({exitCode}): {error}");
    }
}
