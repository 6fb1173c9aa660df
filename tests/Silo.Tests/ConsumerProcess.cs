using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Orlog.Testing;

namespace Orlog.Silo;

/// <summary>
/// A long-running <c>orlog consume --group ... --print-partition --print-offset</c> process whose
/// printed records are collected as they come, and which can be killed with SIGKILL.
/// </summary>
internal sealed class ConsumerProcess : IAsyncDisposable
{
    private readonly Process _process;

    public ConsumerProcess(SiloProcess silo, string topic, string group, params string[] properties)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltAssembly.PathOf("Client/Cli", "orlog.dll"));
        foreach (var arg in new[] { "consume", topic, "--group", group, "--from-beginning", "--print-partition", "--print-offset", "--bootstrap-server", $"localhost:{silo.GatewayPort}" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var property in properties)
        {
            start.ArgumentList.Add("--consumer-property");
            start.ArgumentList.Add(property);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Parse(line.Data);
        _process.ErrorDataReceived += (_, line) => Errors.Enqueue(line.Data ?? "");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>(partition, offset) of every record printed, in the order printed.</summary>
    public ConcurrentQueue<(int Partition, long Offset)> Printed { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Pulsed at every printed record.</summary>
    public ChangeSignal Changed { get; } = new();

    /// <summary>SIGKILL: no shutdown hook runs, nothing more is committed or printed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    // Lines look like "Partition:2\tOffset:17\tvalue".
    private void Parse(string? line)
    {
        if (line is null)
        {
            return;
        }

        var fields = line.Split('\t');
        if (fields.Length >= 2 && fields[0].StartsWith("Partition:", StringComparison.Ordinal) && fields[1].StartsWith("Offset:", StringComparison.Ordinal))
        {
            Printed.Enqueue((
                int.Parse(fields[0]["Partition:".Length..], CultureInfo.InvariantCulture),
                long.Parse(fields[1]["Offset:".Length..], CultureInfo.InvariantCulture)));
            Changed.Pulse();
        }
    }
}
