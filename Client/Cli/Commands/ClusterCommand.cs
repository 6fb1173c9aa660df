using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Orlog.Cli.Commands;

/// <summary><c>orlog cluster describe</c>: the brokers of the cluster.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var cluster = new Command("cluster", "Inspect the cluster.");
        var describe = new Command("describe", "List the brokers: id, address, zone, status, partitions held and led.");
        describe.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            var table = new Table().AddColumns("Broker", "Address", "Zone", "Status", "Partitions", "Leaders");
            foreach (var broker in await admin.DescribeBrokersAsync())
            {
                table.AddRow(
                    broker.BrokerId.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(broker.Address ?? "-"),
                    Markup.Escape(broker.Zone ?? "-"),
                    broker.Online ? "online" : "offline",
                    broker.Partitions.ToString(CultureInfo.InvariantCulture),
                    broker.Leaders.ToString(CultureInfo.InvariantCulture));
            }

            CommonOptions.Write(table);
            return 0;
        }));
        cluster.Subcommands.Add(describe);
        return cluster;
    }
}
