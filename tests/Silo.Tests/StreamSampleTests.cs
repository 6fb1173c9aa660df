using System.Diagnostics;
using Orlog.Testing;
using Xunit;

namespace Orlog.Silo;

/// <summary>
/// The README's stream sample as a newcomer runs it: a broker silo, the EventCounter app (its own Orleans
/// silo with the Orlog stream provider and a grain per stream), and <c>orlog produce</c> feeding topic
/// "readings": each key's grain counts its events.
/// </summary>
public sealed class StreamSampleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LinesProducedWithTheCli_AreCountedByTheGrainOfTheirKey()
    {
        var data = Directory.CreateTempSubdirectory("orlog-sample-");
        try
        {
            await using var silo = new SiloProcess(data.FullName);
            await silo.StartAsync();
            await using var sample = EventCounterProcess.Start(silo);
            // The generic host's line once the silo, its stream provider included, has started (the provider creates the topic).
            Assert.True(
                await ChangeSignal.WaitUntilAsync(() => sample.Output.Contains("Application started.", StringComparison.Ordinal), Deadline, sample.Changed),
                $"The sample did not start:\n{sample.Output}");

            var produced = await CliProcess.RunAsync(silo, "meter-7:21.5\nmeter-7:22.0\nmeter-9:19.5\n", "produce", "readings", "--key-separator", ":");
            Assert.True(produced.ExitCode == 0, produced.Error);

            Assert.True(
                await ChangeSignal.WaitUntilAsync(() => sample.Output.Contains("readings/meter-7: 2 events (last: 22.0", StringComparison.Ordinal) && sample.Output.Contains("readings/meter-9: 1 events (last: 19.5", StringComparison.Ordinal), Deadline, sample.Changed),
                $"The sample did not count the events:\n{sample.Output}");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>The sample app (Client/Samples/EventCounter) as a process on free ports, reading the broker of <c>silo</c>.</summary>
    private sealed class EventCounterProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ProcessOutput _output = new();

        private EventCounterProcess(Process process) => _process = process;

        public ChangeSignal Changed => _output.Changed;

        public string Output => _output.Text;

        public static EventCounterProcess Start(SiloProcess silo)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(BuiltAssembly.PathOf("Client/Samples/EventCounter", "EventCounter.dll"));
            start.ArgumentList.Add($"--Orlog:BootstrapServers=localhost:{silo.GatewayPort}");
            start.ArgumentList.Add($"--Sample:SiloPort={SiloProcess.FreePort()}");
            start.ArgumentList.Add($"--Sample:GatewayPort={SiloProcess.FreePort()}");
            var sample = new EventCounterProcess(new Process { StartInfo = start });
            sample._output.Capture(sample._process);
            sample._process.Start();
            sample._process.BeginOutputReadLine();
            sample._process.BeginErrorReadLine();
            return sample;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
