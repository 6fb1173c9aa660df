using Azure.Storage;
using Orlog.Storage.AzureBlob;

namespace Orlog.Tiering;

/// <summary>Settings of an <see cref="AzureBlobRemoteStore"/>.</summary>
public sealed class AzureBlobRemoteStoreOptions() : AzureBlobContainerOptions(DefaultContainerName)
{
    public const string DefaultContainerName = "orlog-segments";
    public const int DefaultMaxConcurrencyPerUpload = 4;
    public const int DefaultUploadBlockBytes = 8 * 1024 * 1024;

    /// <summary>How many blocks of one file are uploaded at once. Default 4.</summary>
    public int MaxConcurrencyPerUpload { get; set; } = DefaultMaxConcurrencyPerUpload;

    /// <summary>
    /// The size of the blocks a file is uploaded in; a file no larger goes in one request. Default
    /// 8 MiB: a 1 GiB segment is 128 blocks, well under a blob's 50,000.
    /// </summary>
    public int UploadBlockBytes { get; set; } = DefaultUploadBlockBytes;

    public override void Validate()
    {
        base.Validate();
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
