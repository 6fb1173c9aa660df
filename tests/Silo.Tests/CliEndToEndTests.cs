using System.Globalization;
using System.Text;
using Xunit;

namespace Orlog.Silo;

/// <summary>The newcomer's path: a silo process, and the <c>orlog</c> CLI creating, producing and consuming.</summary>
public sealed class CliEndToEndTests
{
    private const int Lines = 10_000;
    private const int Keys = 50;

    [Fact]
    public async Task TenThousandLines_ComeBackWhole_InOrderPerPartition()
    {
        var data = Directory.CreateTempSubdirectory("orlog-cli-");
        try
        {
            await using var silo = new SiloProcess(data.FullName);
            await silo.StartAsync();

            var created = await CliProcess.RunAsync(silo, null, "topics", "create", "lines", "--partitions", "3");
            Assert.True(created.ExitCode == 0, created.Error);

            var input = new StringBuilder();
            for (var i = 0; i < Lines; i++)
            {
                input.Append(CultureInfo.InvariantCulture, $"key{i % Keys}:{i}\n");
            }

            var produced = await CliProcess.RunAsync(silo, input.ToString(), "produce", "lines", "--key-separator", ":");
            Assert.True(produced.ExitCode == 0, produced.Error);

            var consumed = await CliProcess.RunAsync(silo, null, "consume", "lines", "--from-beginning", "--max-messages", $"{Lines}", "--timeout-ms", "10000", "--print-partition", "--print-key");
            Assert.True(consumed.ExitCode == 0, consumed.Error);

            var records = consumed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
            Assert.Equal(Lines, records.Count);
            Assert.Equal(Enumerable.Range(0, Lines), records.Select(r => r.Value).Order());
            foreach (var partition in records.GroupBy(r => r.Partition))
            {
                var values = partition.Select(r => r.Value).ToList();
                Assert.Equal(values.Order(), values);
            }

            Assert.All(records.GroupBy(r => r.Key), key => Assert.Single(key.Select(r => r.Partition).Distinct()));

            var again = await CliProcess.RunAsync(silo, null, "topics", "create", "lines");
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("TOPIC_ALREADY_EXISTS", again.Error, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PartitionsReassign_MovesAPartition_AndRefusesABrokerThatIsNotLiveOrAMoveItCannotRead()
    {
        var data = Directory.CreateTempSubdirectory("orlog-cli-");
        try
        {
            await using var silo = new SiloProcess(data.FullName);
            await silo.StartAsync();
            Assert.Equal(0, (await CliProcess.RunAsync(silo, null, "topics", "create", "moved")).ExitCode);
            var cluster = await CliProcess.RunAsync(silo, null, "cluster", "describe");
            var broker = Assert.Single(CliProcess.DataRows(cluster.Output))[0];

            var notLive = await CliProcess.RunAsync(silo, null, "partitions", "reassign", "moved", "--move", "0=999");
            var unreadable = await CliProcess.RunAsync(silo, null, "partitions", "reassign", "moved", "--move", "zero=1");
            var moved = await CliProcess.RunAsync(silo, null, "partitions", "reassign", "moved", "--move", $"0={broker}", "--wait");

            Assert.Equal(1, notLive.ExitCode);
            Assert.Contains("INVALID_REPLICA_ASSIGNMENT", notLive.Error, StringComparison.Ordinal);
            Assert.Equal(1, unreadable.ExitCode);
            Assert.Contains("INVALID_REQUEST", unreadable.Error, StringComparison.Ordinal);
            Assert.True(moved.ExitCode == 0, moved.Error);
            Assert.Contains($"Moving moved-0 to brokers [{broker}].", moved.Output, StringComparison.Ordinal);
            Assert.Contains("Every move has completed.", moved.Output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>A consumed line: <c>Partition:P\tkey\tvalue</c>.</summary>
    private static (int Partition, string Key, int Value) Parse(string line)
    {
        var fields = line.TrimEnd('\r').Split('\t');
        return (int.Parse(fields[0]["Partition:".Length..], CultureInfo.InvariantCulture), fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture));
    }
}
