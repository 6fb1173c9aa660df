using System.CommandLine;
using Orlog.Client;
using Spectre.Console;

namespace Orlog.Cli.Commands;

/// <summary><c>orlog topics create|list|describe|alter|delete</c>, as <c>kafka-topics</c>.</summary>
internal static class TopicsCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "The topic." };

    private static readonly Option<string[]> Configs = new("--config")
    {
        Description = "A topic config, k=v (Kafka's names: retention.ms, segment.bytes, flush.policy, ...); repeat for more.",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public static Command Create()
    {
        var topics = new Command("topics", "Create, list, describe, alter and delete topics.");
        topics.Subcommands.Add(CreateCommand());
        topics.Subcommands.Add(ListCommand());
        topics.Subcommands.Add(DescribeCommand());
        topics.Subcommands.Add(AlterCommand());
        topics.Subcommands.Add(DeleteCommand());
        return topics;
    }

    private static Command CreateCommand()
    {
        var partitions = new Option<int>("--partitions") { Description = "Number of partitions.", DefaultValueFactory = _ => 1 };
        var replication = new Option<short>("--replication-factor") { Description = "Replicas per partition (1 on a single broker).", DefaultValueFactory = _ => 1 };
        var command = new Command("create", "Create a topic.") { Name, partitions, replication, Configs };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            var created = await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = parse.GetValue(Name)!,
                NumPartitions = parse.GetValue(partitions),
                ReplicationFactor = parse.GetValue(replication),
                Configs = ParseConfigs(parse.GetValue(Configs)!),
            }]);
            Console.WriteLine($"Created topic {created[0].Name} with {created[0].Partitions} partition(s).");
            return 0;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List the topics.");
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            foreach (var name in await admin.ListTopicsAsync())
            {
                Console.WriteLine(name);
            }

            return 0;
        }));
        return command;
    }

    private static Command DescribeCommand()
    {
        var command = new Command("describe", "Describe a topic: partitions, replication factor, configs, and each partition's leader, replicas and in-sync replicas.") { Name };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            var topic = (await admin.DescribeTopicsAsync([parse.GetValue(Name)!]))[0];
            var table = new Table().AddColumns("Topic", "Partitions", "ReplicationFactor", "Configs", "Created");
            var configs = string.Join(",", topic.Configs.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
            table.AddRow(Markup.Escape(topic.Name), topic.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture), topic.ReplicationFactor.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(configs), topic.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            CommonOptions.Write(table);
            var partitions = new Table().AddColumns("Partition", "Leader", "Replicas", "Isr", "LeaderEpoch", "Status", "MovingTo");
            foreach (var partition in await admin.DescribePartitionsAsync(topic.Name))
            {
                partitions.AddRow(
                    partition.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    partition.Leader.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    string.Join(",", partition.Replicas),
                    string.Join(",", partition.Isr),
                    partition.LeaderEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    partition.Online ? "online" : "offline",
                    partition.Target is { } target ? string.Join(",", target) : "");
            }

            CommonOptions.Write(partitions);
            return 0;
        }));
        return command;
    }

    private static Command AlterCommand()
    {
        var deleteConfigs = new Option<string[]>("--delete-config") { Description = "A config to remove (back to its default); repeat for more.", DefaultValueFactory = _ => [] };
        var partitions = new Option<int?>("--partitions") { Description = "Raise the partition count to this." };
        var command = new Command("alter", "Change a topic's configs or raise its partition count.") { Name, Configs, deleteConfigs, partitions };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            var name = parse.GetValue(Name)!;
            var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in ParseConfigs(parse.GetValue(Configs)!))
            {
                changes[key] = value;
            }

            foreach (var key in parse.GetValue(deleteConfigs)!)
            {
                changes[key] = null;
            }

            if (changes.Count > 0)
            {
                await admin.AlterConfigsAsync(name, changes);
            }

            if (parse.GetValue(partitions) is { } count)
            {
                await admin.CreatePartitionsAsync([new PartitionsSpecification(name, count)]);
            }

            Console.WriteLine($"Altered topic {name}.");
            return 0;
        }));
        return command;
    }

    private static Command DeleteCommand()
    {
        var command = new Command("delete", "Delete a topic and all its data.") { Name };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            await admin.DeleteTopicsAsync([parse.GetValue(Name)!]);
            Console.WriteLine($"Deleted topic {parse.GetValue(Name)}.");
            return 0;
        }));
        return command;
    }

    /// <summary>Parses <c>k=v</c> pairs.</summary>
    internal static Dictionary<string, string> ParseConfigs(IEnumerable<string> pairs)
    {
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--config expects k=v; got '{pair}'.");
            }

            configs[pair[..equals]] = pair[(equals + 1)..];
        }

        return configs;
    }
}
