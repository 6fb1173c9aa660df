using Orleans.Storage;

namespace Orlog.Storage.AzureBlob;

/// <summary>Settings of an <see cref="AzureBlobGrainStorage"/> provider (one instance per provider name).</summary>
public sealed class AzureBlobGrainStorageOptions() : AzureBlobContainerOptions(DefaultContainerName)
{
    public const string DefaultContainerName = "orlog-metadata";

    /// <summary>The serializer of the state; null means Orleans' binary serializer (as the file provider).</summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }
}
