using System.Diagnostics;
using System.Text;
using Xunit;

namespace Orlog.Silo;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the silo exports its metrics and traces over OTLP.</summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ASiloWithAnOtlpEndpoint_ExportsTheBrokersMetrics_AndGrainCallTraces()
    {
        using var collector = new StandInHttpServer();
        var data = Directory.CreateTempSubdirectory("orlog-otel-");
        try
        {
            await using var silo = new SiloProcess(
                data.FullName,
                $"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.Endpoint}",
                "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
                "--OTEL_METRIC_EXPORT_INTERVAL=500",
                "--OTEL_BSP_SCHEDULE_DELAY=500");
            await silo.StartAsync();
            Assert.Equal(0, (await CliProcess.RunAsync(silo, null, "topics", "create", "watched")).ExitCode);
            Assert.Equal(0, (await CliProcess.RunAsync(silo, "a\nb\nc\n", "produce", "watched")).ExitCode);

            var started = Stopwatch.GetTimestamp();
            while (!(Exported(collector, "/v1/metrics", "Orlog.Broker") && Exported(collector, "/v1/traces", "orlog-silo")))
            {
                Assert.True(Stopwatch.GetElapsedTime(started) < Deadline, $"No OTLP export of broker metrics and traces arrived; paths seen: {string.Join(", ", collector.Requests.Select(e => e.Path).Distinct())}");

                // Exports arrive every 500 ms; checking as often costs nothing.
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static bool Exported(StandInHttpServer collector, string path, string text) =>
        collector.Requests.Any(e => e.Path == path && Encoding.UTF8.GetString(e.Body).Contains(text, StringComparison.Ordinal));
}
