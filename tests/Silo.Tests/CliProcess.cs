using System.Diagnostics;

namespace Orlog.Silo;

/// <summary>Runs the <c>orlog</c> CLI as a separate process against a <see cref="SiloProcess"/>.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <c>orlog args...</c> with <paramref name="input"/> on stdin; returns exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(SiloProcess silo, string? input, params string[] args) =>
        RunAsync(start =>
        {
            start.ArgumentList.Add("--bootstrap-server");
            start.ArgumentList.Add($"localhost:{silo.GatewayPort}");
        }, input, args);

    /// <summary>
    /// Runs <c>orlog args...</c> against an Azure Table cluster (the table from <c>ORLOG_CLUSTER_TABLE</c>, the id from
    /// <c>--cluster-id</c>), with <paramref name="input"/>, when given, on its standard input.
    /// </summary>
    public static Task<(int ExitCode, string Output, string Error)> RunOnClusterAsync(string clusterTable, string clusterId, string? input, params string[] args) =>
        RunAsync(start =>
        {
            start.Environment["ORLOG_CLUSTER_TABLE"] = clusterTable;
            start.ArgumentList.Add("--cluster-id");
            start.ArgumentList.Add(clusterId);
        }, input, args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Action<ProcessStartInfo> connect, string? input, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltAssembly.PathOf("Client/Cli", "orlog.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        connect(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("orlog did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The cells of each line of the CLI's tables (a line without a column border gives one cell or none).</summary>
    public static IEnumerable<string[]> TableCells(string output) =>
        output.Split('\n').Select(line => line.Split(['│', '|', '┃'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The cells of the data rows of the CLI's tables (rows that start with a number).</summary>
    public static List<string[]> DataRows(string output) =>
        [.. TableCells(output).Where(cells => cells.Length > 1 && char.IsAsciiDigit(cells[0][0]))];

    /// <summary>Runs <c>orlog args...</c> until <paramref name="accept"/> takes its output (a CLI call each turn paces the polling); fails after a minute.</summary>
    public static async Task UntilOutputAsync(SiloProcess silo, Func<string, bool> accept, string what, params string[] args)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!accept((await RunAsync(silo, null, args)).Output))
        {
            Xunit.Assert.True(DateTime.UtcNow < until, $"Timed out waiting until {what}.");
        }
    }
}
