using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orlog.Metrics;

namespace Orlog.Silo;

/// <summary>
/// OpenTelemetry metrics and traces over OTLP, on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (environment
/// or any configuration source; the exporter reads it and the other standard <c>OTEL_*</c> settings itself):
/// the broker's meter and Orleans' meter and activity sources.
/// </summary>
internal static class Telemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "orlog-silo";
    private const string OrleansMeter = "Microsoft.Orleans";
    private static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointSetting]);

    public static void AddOrlogTelemetry(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration))
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics.AddMeter(BrokerMetrics.MeterName, OrleansMeter).AddOtlpExporter())
            .WithTracing(tracing => tracing.AddSource(OrleansActivitySources).AddOtlpExporter());
    }
}
