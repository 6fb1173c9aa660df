using System.Globalization;
using System.Text;
using Xunit;

namespace Orlog.Silo;

/// <summary>
/// An operator's consumer-group round: <c>orlog consume --group</c> commits where it stopped, <c>orlog
/// groups describe</c> shows no lag, <c>orlog groups reset-offsets</c> rewinds the group, and
/// <c>orlog groups delete</c> removes it; against a silo process.
/// </summary>
public sealed class CliGroupsEndToEndTests
{
    private const int Lines = 100;
    private const int Partitions = 3;
    private const string Topic = "events";
    private const string Group = "auditors";

    [Fact]
    public async Task ConsumeWithAGroup_CommitsOnExit_AndResetOffsetsRewindsIt()
    {
        var data = Directory.CreateTempSubdirectory("orlog-cli-groups-");
        try
        {
            await using var silo = new SiloProcess(data.FullName);
            await silo.StartAsync();
            await RunAsync(silo, null, "topics", "create", Topic, "--partitions", $"{Partitions}");
            var input = new StringBuilder();
            for (var i = 0; i < Lines; i++)
            {
                input.Append(CultureInfo.InvariantCulture, $"k{i}:{i}\n");
            }

            await RunAsync(silo, input.ToString(), "produce", Topic, "--key-separator", ":");

            var first = await RunAsync(silo, null, "consume", Topic, "--group", Group, "--from-beginning", "--max-messages", $"{Lines}");
            Assert.Equal(Enumerable.Range(0, Lines), Values(first).Order());

            var second = await RunAsync(silo, null, "consume", Topic, "--group", Group, "--timeout-ms", "2000");
            Assert.Empty(Values(second));

            var described = await RunAsync(silo, null, "groups", "describe", Group);
            var rows = DescribeRows(described);
            Assert.Equal(Enumerable.Range(0, Partitions), rows.Select(r => r.Partition).Order());
            Assert.All(rows, r => Assert.Equal((r.LogEnd, "0"), (r.Current, r.Lag)));
            Assert.Equal(Lines, rows.Sum(r => long.Parse(r.LogEnd, CultureInfo.InvariantCulture)));
            Assert.Contains("state Empty", described, StringComparison.Ordinal);

            var planned = await RunAsync(silo, null, "groups", "reset-offsets", Group, "--topic", Topic, "--to-earliest");
            Assert.Contains("Dry run", planned, StringComparison.Ordinal);
            Assert.All(DescribeRows(await RunAsync(silo, null, "groups", "describe", Group)), r => Assert.Equal("0", r.Lag));

            await RunAsync(silo, null, "groups", "reset-offsets", Group, "--topic", Topic, "--to-earliest", "--execute");
            Assert.All(DescribeRows(await RunAsync(silo, null, "groups", "describe", Group)), r => Assert.Equal(("0", r.LogEnd), (r.Current, r.Lag)));

            var third = await RunAsync(silo, null, "consume", Topic, "--group", Group, "--max-messages", $"{Lines}");
            Assert.Equal(Enumerable.Range(0, Lines), Values(third).Order());

            Assert.Contains(Group, OutputLines(await RunAsync(silo, null, "groups", "list")));
            await RunAsync(silo, null, "groups", "delete", Group);
            Assert.DoesNotContain(Group, OutputLines(await RunAsync(silo, null, "groups", "list")));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task UsageErrors_AndAResetOfAnActiveGroup_ExitNonZero()
    {
        var data = Directory.CreateTempSubdirectory("orlog-cli-groups-");
        try
        {
            await using var silo = new SiloProcess(data.FullName);
            await silo.StartAsync();
            await RunAsync(silo, null, "topics", "create", Topic);

            var none = await CliProcess.RunAsync(silo, null, "groups", "reset-offsets", Group, "--topic", Topic);
            Assert.Equal(2, none.ExitCode);
            Assert.Contains("exactly one of", none.Error, StringComparison.Ordinal);
            var two = await CliProcess.RunAsync(silo, null, "groups", "reset-offsets", Group, "--topic", Topic, "--to-earliest", "--shift-by", "-1");
            Assert.Equal(2, two.ExitCode);
            Assert.Contains("exactly one of", two.Error, StringComparison.Ordinal);
            var withPartition = await CliProcess.RunAsync(silo, null, "consume", Topic, "--group", Group, "--partition", "0");
            Assert.Equal(2, withPartition.ExitCode);
            Assert.Contains("--group", withPartition.Error, StringComparison.Ordinal);
            var unknown = await CliProcess.RunAsync(silo, null, "groups", "describe", "nobody");
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("GROUP_ID_NOT_FOUND", unknown.Error, StringComparison.Ordinal);

            // A member that stays in the group while the reset runs: a consumer waiting for records.
            await RunAsync(silo, "a\nb\n", "produce", Topic);
            var member = CliProcess.RunAsync(silo, null, "consume", Topic, "--group", Group, "--from-beginning", "--max-messages", "3");
            await CliProcess.UntilOutputAsync(silo, output => output.Contains("1 member(s)", StringComparison.Ordinal), "the consumer joined the group", "groups", "describe", Group);

            var refused = await CliProcess.RunAsync(silo, null, "groups", "reset-offsets", Group, "--topic", Topic, "--to-earliest", "--execute");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("NON_EMPTY_GROUP", refused.Error, StringComparison.Ordinal);
            var undeleted = await CliProcess.RunAsync(silo, null, "groups", "delete", Group);
            Assert.Equal(1, undeleted.ExitCode);
            Assert.Contains("NON_EMPTY_GROUP", undeleted.Error, StringComparison.Ordinal);

            // The third record lets the member finish; it committed all three on exit.
            await RunAsync(silo, "c\n", "produce", Topic);
            var consumed = await member;
            Assert.True(consumed.ExitCode == 0, consumed.Error);
            Assert.Equal(["a", "b", "c"], OutputLines(consumed.Output));
            var row = Assert.Single(DescribeRows(await RunAsync(silo, null, "groups", "describe", Group)));
            Assert.Equal(("3", "3", "0"), (row.Current, row.LogEnd, row.Lag));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>Runs the CLI and insists it succeeded; returns its stdout.</summary>
    private static async Task<string> RunAsync(SiloProcess silo, string? input, params string[] args)
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(silo, input, args);
        Assert.True(exitCode == 0, $"orlog {string.Join(' ', args)} exited {exitCode}: {error}");
        return output;
    }

    private static List<int> Values(string output) => [.. OutputLines(output).Select(line => int.Parse(line, CultureInfo.InvariantCulture))];

    private static List<string> OutputLines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    /// <summary>The partition rows of <c>groups describe</c>'s table (GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID CLIENT-ID).</summary>
    private static List<(int Partition, string Current, string LogEnd, string Lag)> DescribeRows(string output) =>
    [
        .. CliProcess.TableCells(output)
            .Where(cells => cells.Length == 8 && cells[0] == Group && cells[1] == Topic)
            .Select(cells => (int.Parse(cells[2], CultureInfo.InvariantCulture), cells[3], cells[4], cells[5])),
    ];
}
