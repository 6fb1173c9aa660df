using System.CommandLine;
using Spectre.Console;

namespace Orlog.Cli.Commands;

/// <summary><c>orlog cluster describe</c>: the silos of the cluster.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var cluster = new Command("cluster", "Inspect the cluster.");
        var describe = new Command("describe", "List the silos (brokers) and their status.");
        describe.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            var table = new Table().AddColumns("Silo", "Name", "Status");
            foreach (var silo in await admin.DescribeClusterAsync())
            {
                table.AddRow(Markup.Escape(silo.Address), Markup.Escape(silo.Name), silo.Status);
            }

            CommonOptions.Write(table);
            return 0;
        }));
        cluster.Subcommands.Add(describe);
        return cluster;
    }
}
