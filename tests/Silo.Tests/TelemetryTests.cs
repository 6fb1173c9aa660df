using System.Text;
using Orlog.Testing;
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

            var exported = await ChangeSignal.WaitUntilAsync(
                () => Exported(collector, "/v1/metrics", "Orlog.Broker") && Exported(collector, "/v1/traces", "orlog-silo"),
                Deadline,
                collector.Received);

            Assert.True(exported, $"No OTLP export of broker metrics and traces arrived; paths seen: {string.Join(", ", collector.Requests.Select(e => e.Path).Distinct())}");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static bool Exported(StandInHttpServer collector, string path, string text) =>
        collector.Requests.Any(e => e.Path == path && Encoding.UTF8.GetString(e.Body).Contains(text, StringComparison.Ordinal));
}
