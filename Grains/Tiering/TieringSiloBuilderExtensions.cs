using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orlog.Tiering;

/// <summary>Adds the remote tier to an Orlog silo.</summary>
public static class TieringSiloBuilderExtensions
{
    /// <summary>
    /// Registers the silo's <see cref="RemoteTier"/> on the store <paramref name="createStore"/> makes,
    /// and the background <see cref="TieringService"/>. Topics opt in with <c>remote.storage.enable=true</c>.
    /// </summary>
    public static ISiloBuilder AddOrlogTiering(this ISiloBuilder builder, Func<IServiceProvider, IRemoteSegmentStore> createStore, Action<TieringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(createStore);
        builder.Services.AddOptions<TieringOptions>().Configure(options => configure?.Invoke(options)).Validate(options =>
        {
            options.Validate();
            return true;
        });
        builder.Services.AddSingleton(services => new RemoteTier(
            createStore(services),
            services.GetRequiredService<IOptions<TieringOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetService<IMeterFactory>()));
        builder.Services.AddHostedService<TieringService>();
        return builder;
    }

    /// <summary>The embedded default's cold tier: a local directory (<c>&lt;dataDir&gt;/cold</c>).</summary>
    public static ISiloBuilder AddOrlogLocalTiering(this ISiloBuilder builder, string directory, Action<TieringOptions>? configure = null) =>
        builder.AddOrlogTiering(_ => new LocalDirectoryRemoteStore(directory), configure);
}
