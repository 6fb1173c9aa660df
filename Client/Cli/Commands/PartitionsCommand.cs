using System.CommandLine;
using System.Globalization;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Cli.Commands;

/// <summary><c>orlog partitions reassign</c>, as <c>kafka-reassign-partitions</c>.</summary>
internal static class PartitionsCommand
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var partitions = new Command("partitions", "Move partitions between brokers.");
        partitions.Subcommands.Add(ReassignCommand());
        return partitions;
    }

    private static Command ReassignCommand()
    {
        var topic = new Argument<string>("topic") { Description = "The topic." };
        var moves = new Option<string[]>("--move")
        {
            Description = "A partition and the brokers to hold it, preferred leader first: 0=4,2,3; repeat for more partitions.",
            Required = true,
        };
        var wait = new Option<bool>("--wait") { Description = "Wait until every move has completed (the new replicas caught up)." };
        var command = new Command(
            "reassign",
            "Move partitions to other brokers. New replicas copy the leader's local log while the partition keeps serving; then the partition keeps only them.")
        {
            topic, moves, wait,
        };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var name = parse.GetValue(topic)!;
            var reassignments = Parse(name, parse.GetValue(moves)!);
            await using var admin = CommonOptions.Admin(parse);
            await admin.AlterPartitionReassignmentsAsync(reassignments);
            foreach (var (partition, replicas) in reassignments)
            {
                Console.WriteLine($"Moving {partition} to brokers [{string.Join(',', replicas)}].");
            }

            if (parse.GetValue(wait))
            {
                while ((await admin.DescribePartitionsAsync(name)).Any(p => p.Target is not null && reassignments.ContainsKey(new TopicPartition(name, p.Partition))))
                {
                    await Task.Delay(WaitPoll);
                }

                Console.WriteLine("Every move has completed.");
            }

            return 0;
        }));
        return command;
    }

    /// <exception cref="OrlogException">INVALID_REQUEST for a move that is not <c>partition=broker,broker,...</c>.</exception>
    private static Dictionary<TopicPartition, IReadOnlyList<int>> Parse(string topic, string[] moves)
    {
        var reassignments = new Dictionary<TopicPartition, IReadOnlyList<int>>();
        foreach (var move in moves)
        {
            var parts = move.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                throw new OrlogException(ErrorCode.InvalidRequest, $"--move '{move}' must be partition=broker,broker,... (for example 0=4,2,3).");
            }

            var brokers = new List<int>();
            foreach (var broker in parts[1].Split(',', StringSplitOptions.TrimEntries))
            {
                brokers.Add(int.TryParse(broker, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    ? id
                    : throw new OrlogException(ErrorCode.InvalidRequest, $"--move '{move}': '{broker}' is not a broker id."));
            }

            reassignments[new TopicPartition(topic, partition)] = brokers;
        }

        return reassignments;
    }
}
