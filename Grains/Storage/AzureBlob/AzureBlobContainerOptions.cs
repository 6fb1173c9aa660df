using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Orlog.Storage.AzureBlob;

/// <summary>
/// Where a blob container is and how to reach it: the part every Orlog use of Azure Blob Storage
/// shares (grain storage, the remote segment store).
/// </summary>
/// <remarks>
/// Credentials: either <see cref="ConnectionString"/> (Azurite, or an account key), or
/// <see cref="ServiceUri"/> with <see cref="Credential"/> — <c>DefaultAzureCredential</c> when none
/// is given (managed identity in Azure, the developer's login on a laptop): no key in configuration.
/// </remarks>
public abstract class AzureBlobContainerOptions(string defaultContainerName)
{
    /// <summary>A storage connection string; leave null to use <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service endpoint, <c>https://&lt;account&gt;.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The credential for <see cref="ServiceUri"/>; null means <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The container; created when missing.</summary>
    public string ContainerName { get; set; } = defaultContainerName;

    /// <summary>Throws when a setting cannot work.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (ServiceUri is null))
        {
            throw new ArgumentException($"Set exactly one of ConnectionString and ServiceUri for Azure Blob Storage (container '{ContainerName}').");
        }

        if (string.IsNullOrWhiteSpace(ContainerName) || ContainerName.Length is < 3 or > 63 || ContainerName.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"'{ContainerName}' is not a valid blob container name: 3 to 63 lower-case letters, digits and '-'.");
        }
    }

    /// <summary>The container these settings name, reached with their credentials.</summary>
    public BlobContainerClient CreateContainerClient(BlobClientOptions? clientOptions = null)
    {
        Validate();
        var service = !string.IsNullOrWhiteSpace(ConnectionString)
            ? new BlobServiceClient(ConnectionString, clientOptions)
            : new BlobServiceClient(ServiceUri, Credential ?? new DefaultAzureCredential(), clientOptions);
        return service.GetBlobContainerClient(ContainerName);
    }
}
