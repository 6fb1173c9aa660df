using Azure.Core;
using Orleans.Storage;

namespace Orlog.Storage.AzureBlob;

/// <summary>Settings of an <see cref="AzureBlobGrainStorage"/> provider (one instance per provider name).</summary>
/// <remarks>
/// Credentials: either <see cref="ConnectionString"/> (Azurite, or an account key), or
/// <see cref="ServiceUri"/> with <see cref="Credential"/> — <c>DefaultAzureCredential</c> when none
/// is given (managed identity in Azure, the developer's login on a laptop): no key in configuration.
/// </remarks>
public sealed class AzureBlobGrainStorageOptions
{
    public const string DefaultContainerName = "orlog-metadata";

    /// <summary>A storage connection string; leave null to use <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service endpoint, <c>https://&lt;account&gt;.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The credential for <see cref="ServiceUri"/>; null means <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The container holding one blob per grain state; created when missing. Default <c>orlog-metadata</c>.</summary>
    public string ContainerName { get; set; } = DefaultContainerName;

    /// <summary>The serializer of the state; null means Orleans' binary serializer (as the file provider).</summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }

    /// <summary>Throws when a setting cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (ServiceUri is null))
        {
            throw new ArgumentException("Set exactly one of ConnectionString and ServiceUri for Azure Blob grain storage.");
        }

        if (string.IsNullOrWhiteSpace(ContainerName) || ContainerName.Length is < 3 or > 63 || ContainerName.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"'{ContainerName}' is not a valid blob container name: 3 to 63 lower-case letters, digits and '-'.");
        }
    }
}
