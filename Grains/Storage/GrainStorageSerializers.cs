using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orlog.Storage;

/// <summary>Which serializer an Orlog grain storage provider writes its state with.</summary>
internal static class GrainStorageSerializers
{
    /// <summary>
    /// The one the provider's options name, else one registered under the provider's name (a keyed
    /// <see cref="IGrainStorageSerializer"/>), else Orleans' binary serializer. Not the silo-wide
    /// IGrainStorageSerializer: Orleans registers Newtonsoft JSON there, and the format of stored
    /// state should not change when some other provider's default does.
    /// </summary>
    public static IGrainStorageSerializer For(IServiceProvider services, string providerName, IGrainStorageSerializer? configured) =>
        configured
        ?? services.GetKeyedService<IGrainStorageSerializer>(providerName)
        ?? new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
}
