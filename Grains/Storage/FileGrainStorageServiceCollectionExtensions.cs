using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace Orlog.Storage;

/// <summary>Registers <see cref="FileGrainStorage"/> providers with a silo.</summary>
public static class FileGrainStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="FileGrainStorage"/> named <paramref name="name"/>, for grains declaring
    /// <c>[PersistentState("state", name)]</c>. The options are validated when the silo starts.
    /// </summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        builder.Services.AddOptions<FileGrainStorageOptions>(name).Configure(configure);
        builder.Services.AddTransient<IConfigurationValidator>(services => new OptionsValidator(services, name));
        builder.Services.AddGrainStorage(name, Create);
        return builder;
    }

    /// <summary>Adds a <see cref="FileGrainStorage"/> as the provider of grains that name none (<see cref="ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME"/>).</summary>
    public static ISiloBuilder AddFileGrainStorageAsDefault(this ISiloBuilder builder, Action<FileGrainStorageOptions> configure) =>
        builder.AddFileGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    private static FileGrainStorage Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name);

var serializer = GrainStorageSerializers.For(services, name, options.GrainStorageSerializer);
        return new FileGrainStorage(
            name,
            options,
            serializer,
            services.GetRequiredService<IActivatorProvider>(),
            services.GetRequiredService<ILogger<FileGrainStorage>>());
    }

    private sealed class OptionsValidator(IServiceProvider services, string name) : IConfigurationValidator
    {
        public void ValidateConfiguration() =>
            services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name).Validate();
    }
}
