using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orlog.Testing;

namespace Orlog.Silo;

/// <summary>
/// The Orlog silo as a separate process on free loopback ports, the way an operator runs it,
/// so a test can stop it cleanly or kill it (SIGKILL) and start it again on the same data.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    /// <summary>What the silo prints once it serves: its one startup line.</summary>
    private const string StartedLine = "Orlog broker started.";

    private readonly ProcessOutput _output = new();
    private readonly string[] _settings;
    private Process? _process;
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="settings">More configuration switches, such as <c>--Orlog:Groups:MinSessionTimeoutMs=1000</c>.</param>
    public SiloProcess(string dataDir, params string[] settings)
    {
        _settings = settings;
        DataDir = dataDir;
        HttpPort = FreePort();
        SiloPort = FreePort();
        GatewayPort = FreePort();
    }

    public string DataDir { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>Pulses at every line the process prints: a change in the cluster worth checking again.</summary>
    internal ChangeSignal OutputChanged => _output.Changed;

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Output => _output.Text;

    /// <summary>Starts the silo and waits until <c>/healthz</c> answers.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDir,
        };
        start.ArgumentList.Add(BuiltAssembly.PathOf("Silo", "Orlog.Silo.dll"));
        start.ArgumentList.Add($"--Orlog:DataDir={DataDir}");
        start.ArgumentList.Add($"--Orlog:HttpPort={HttpPort}");
        start.ArgumentList.Add($"--Orlog:SiloPort={SiloPort}");
        start.ArgumentList.Add($"--Orlog:GatewayPort={GatewayPort}");
        foreach (var setting in _settings)
        {
            start.ArgumentList.Add(setting);
        }

        _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _output.Capture(_process, line =>
        {
            if (line.Contains(StartedLine, StringComparison.Ordinal))
            {
                _started.TrySetResult();
            }
        });
        _process.Exited += (_, _) => _started.TrySetException(new InvalidOperationException($"The silo exited during start-up:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitHealthyAsync();
    }

    /// <summary>SIGKILL: no shutdown hook runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, the way a service manager stops it: a clean shutdown.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    /// <summary>Waits for the startup line (or the process's exit), then checks that <c>/healthz</c> answers.</summary>
    private async Task WaitHealthyAsync()
    {
        try
        {
            await _started.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The silo did not start within {StartTimeout}:\n{Output}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri($"http://localhost:{HttpPort}/healthz"));
        response.EnsureSuccessStatusCode();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
