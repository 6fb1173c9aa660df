using System.CommandLine;
using Orlog.Cli.Commands;
using Orlog.Cli.Perf;

namespace Orlog.Cli;

/// <summary>The root of the <c>orlog</c> command tree; option names follow Kafka's console tools.</summary>
public static class OrlogCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("orlog: topics, produce, consume, consumer groups and perf tests against an Orlog cluster.");
        foreach (var option in CommonOptions.All)
        {
            root.Options.Add(option);
        }
        root.Subcommands.Add(TopicsCommand.Create());
        root.Subcommands.Add(ProduceCommand.Create());
        root.Subcommands.Add(ConsumeCommand.Create());
        root.Subcommands.Add(GroupsCommand.Create());
        root.Subcommands.Add(PerfCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(PartitionsCommand.Create());
        return root;
    }
}
