using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orlog.Log;
using Orlog.Metrics;

namespace Orlog.Hosting;

/// <summary>Adds the Orlog broker (partition logs, metrics) to an Orleans silo.</summary>
public static class OrlogSiloBuilderExtensions
{
    /// <summary>
    /// Registers the silo's <see cref="LogManager"/> (started with the host, closed cleanly when the
    /// host's services are disposed, after the silo has stopped) and <see cref="BrokerMetrics"/>.
    /// Grain storage for metadata (<see cref="OrlogStorage.Metadata"/>) is registered separately.
    /// </summary>
    public static ISiloBuilder AddOrlogBroker(this ISiloBuilder builder, Action<LogManagerOptions> configureLogs)
    {
        var services = builder.Services;
        services.AddOptions<LogManagerOptions>().Configure(configureLogs).Validate(options =>
        {
            options.Validate();
            return true;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(provider => new LogManager(
            provider.GetRequiredService<IOptions<LogManagerOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BrokerMetrics>();
        services.AddHostedService<LogManagerStarter>();
        return builder;
    }
}
