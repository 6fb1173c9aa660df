using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace Orlog.Storage.AzureBlob;

/// <summary>Registers <see cref="AzureBlobGrainStorage"/> providers with a silo.</summary>
public static class AzureBlobGrainStorageExtensions
{
    /// <summary>
    /// Adds an <see cref="AzureBlobGrainStorage"/> named <paramref name="name"/>, for grains declaring
    /// <c>[PersistentState("state", name)]</c>. The options are validated when the silo starts.
    /// </summary>
    public static ISiloBuilder AddAzureBlobGrainStorage(this ISiloBuilder builder, string name, Action<AzureBlobGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AzureBlobGrainStorageOptions>(name).Configure(configure);
        builder.Services.AddTransient<IConfigurationValidator>(services => new OptionsValidator(services, name));
        builder.Services.AddGrainStorage(name, Create);
        return builder;
    }

    private static AzureBlobGrainStorage Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<AzureBlobGrainStorageOptions>>().Get(name);
var serializer = GrainStorageSerializers.For(services, name, options.GrainStorageSerializer);
        return new AzureBlobGrainStorage(
            name,
            options.CreateContainerClient(),
            serializer,
            services.GetRequiredService<IActivatorProvider>(),
            services.GetRequiredService<ILogger<AzureBlobGrainStorage>>());
    }

    private sealed class OptionsValidator(IServiceProvider services, string name) : IConfigurationValidator
    {
        public void ValidateConfiguration() =>
            services.GetRequiredService<IOptionsMonitor<AzureBlobGrainStorageOptions>>().Get(name).Validate();
    }
}
