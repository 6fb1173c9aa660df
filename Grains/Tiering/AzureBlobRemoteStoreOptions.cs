using Azure.Core;
using Azure.Storage;

namespace Orlog.Tiering;

/// <summary>Settings of an <see cref="AzureBlobRemoteStore"/>.</summary>
/// <remarks>
/// Credentials: either <see cref="ConnectionString"/> (Azurite, or an account key), or
/// <see cref="ServiceUri"/> with <see cref="Credential"/> — <c>DefaultAzureCredential</c> when none
/// is given (managed identity in Azure, the developer's login on a laptop): no key in configuration.
/// </remarks>
public sealed class AzureBlobRemoteStoreOptions
{
    public const string DefaultContainerName = "orlog-segments";
    public const int DefaultMaxConcurrencyPerUpload = 4;
    public const int DefaultUploadBlockBytes = 8 * 1024 * 1024;

    /// <summary>A storage connection string; leave null to use <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service endpoint, <c>https://&lt;account&gt;.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The credential for <see cref="ServiceUri"/>; null means <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The container holding the segments and manifests; created when missing. Default <c>orlog-segments</c>.</summary>
    public string ContainerName { get; set; } = DefaultContainerName;

    /// <summary>How many blocks of one file are uploaded at once. Default 4.</summary>
    public int MaxConcurrencyPerUpload { get; set; } = DefaultMaxConcurrencyPerUpload;

    /// <summary>
    /// The size of the blocks a file is uploaded in; a file no larger goes in one request. Default
    /// 8 MiB: a 1 GiB segment is 128 blocks, well under a blob's 50,000.
    /// </summary>
    public int UploadBlockBytes { get; set; } = DefaultUploadBlockBytes;

    /// <summary>Throws when a setting cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (ServiceUri is null))
        {
            throw new ArgumentException("Set exactly one of ConnectionString and ServiceUri for the Azure Blob remote segment store.");
        }

        if (string.IsNullOrWhiteSpace(ContainerName) || ContainerName.Length is < 3 or > 63 || ContainerName.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"'{ContainerName}' is not a valid blob container name: 3 to 63 lower-case letters, digits and '-'.");
        }

        if (MaxConcurrencyPerUpload < 1)
        {
            throw new ArgumentException($"MaxConcurrencyPerUpload is {MaxConcurrencyPerUpload}; it must be at least 1.");
        }

        if (UploadBlockBytes < 1)
        {
            throw new ArgumentException($"UploadBlockBytes is {UploadBlockBytes}; it must be positive (bytes per uploaded block).");
        }
    }

    /// <summary>The transfer settings of a segment file's upload.</summary>
    internal StorageTransferOptions TransferOptions => new()
    {
        MaximumConcurrency = MaxConcurrencyPerUpload,
        InitialTransferSize = UploadBlockBytes,
        MaximumTransferSize = UploadBlockBytes,
    };
}
