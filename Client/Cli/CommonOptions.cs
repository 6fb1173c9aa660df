using System.CommandLine;
using Orlog.Client;
using Orlog.Errors;
using Spectre.Console;

namespace Orlog.Cli;

/// <summary>Options every command shares, and how a command reports a failure.</summary>
internal static class CommonOptions
{
    /// <summary>Kafka's <c>--bootstrap-server</c>: gateway endpoints (host:port, comma separated); default the embedded silo on localhost.</summary>
    public static readonly Option<string?> BootstrapServer = new("--bootstrap-server")
    {
        Description = "Gateway endpoints of the cluster, host:port[,host:port...] (default: the embedded silo on localhost:30000).",
        Recursive = true,
    };

    /// <summary>A cluster whose silos keep membership in an Azure table; default from <c>ORLOG_CLUSTER_TABLE</c>.</summary>
    public static readonly Option<string?> ClusterTable = new("--cluster-table")
    {
        Description = "Reach a cluster through its Azure membership table: a storage connection string, or https://<account>.table.core.windows.net (signed in with DefaultAzureCredential). Default: $ORLOG_CLUSTER_TABLE.",
        Recursive = true,
    };

    /// <summary>The Orleans cluster id; default from <c>ORLOG_CLUSTER_ID</c>, else <c>orlog</c>.</summary>
    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = $"The cluster id of the silos (Orlog:Clustering:ClusterId). Default: $ORLOG_CLUSTER_ID, else {ClientConfig.DefaultClusterId}.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORLOG_CLUSTER_ID") is { Length: > 0 } id ? id : ClientConfig.DefaultClusterId,
    };

    /// <summary>The options every command shares, for the root command.</summary>
    public static IEnumerable<Option> All => [BootstrapServer, ClusterTable, ClusterId];

    /// <summary><paramref name="config"/> pointed at the cluster the command line (or environment) names.</summary>
    public static T Connect<T>(ParseResult parse, T config)
        where T : ClientConfig
    {
        config.BootstrapServers = parse.GetValue(BootstrapServer);
        // Not a DefaultValueFactory: help would print the connection string, account key and all.
        config.ClusterTable = parse.GetValue(ClusterTable) ?? Environment.GetEnvironmentVariable("ORLOG_CLUSTER_TABLE");
        config.ClusterId = parse.GetValue(ClusterId)!;
        return config;
    }

    /// <summary>Runs a command body; an Orlog error becomes one red line on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OrlogException error)
        {
            Console.Error.WriteLine($"Error: {error.Message}");
            return 1;
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine($"Error: {error.Message}");
            return 2;
        }
    }

    public static IAdminClient Admin(ParseResult parse) =>
        new AdminClientBuilder(Connect(parse, new AdminClientConfig())).Build();

    /// <summary>How many partitions <paramref name="topic"/> has (UNKNOWN_TOPIC_OR_PARTITION if none).</summary>
    public static async Task<int> PartitionCountAsync(ParseResult parse, string topic)
    {
        await using var admin = Admin(parse);
        return (await admin.DescribeTopicsAsync([topic]))[0].Partitions;
    }

    /// <summary>A table on stdout; when redirected, plain and as wide as its content (no wrapping at 80 columns).</summary>
    public static void Write(Table table) => (Console.IsOutputRedirected ? RedirectedConsole.Value : AnsiConsole.Console).Write(table);

    private static readonly Lazy<IAnsiConsole> RedirectedConsole = new(() =>
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = 1_000;
        return console;
    });
}
