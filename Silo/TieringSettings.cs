using Orlog.Tiering;

namespace Orlog.Silo;

/// <summary>Where the remote tier of topics with <c>remote.storage.enable=true</c> lives.</summary>
public enum TieringProvider
{
    /// <summary>A local directory, <c>&lt;DataDir&gt;/cold</c> (the embedded default).</summary>
    Local,

    /// <summary>An Azure Blob container.</summary>
    AzureBlob,
}

/// <summary>The silo's tiering settings (section <c>Orlog:Tiering</c>); see docs/CONFIG.md.</summary>
public sealed class TieringSettings
{
    public const string SectionName = "Orlog:Tiering";

    public TieringProvider Provider { get; set; } = TieringProvider.Local;

    /// <summary>With <see cref="TieringProvider.AzureBlob"/>: a connection string, or leave it null and set <see cref="ServiceUri"/> (DefaultAzureCredential).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>With <see cref="TieringProvider.AzureBlob"/>: the blob endpoint.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>With <see cref="TieringProvider.AzureBlob"/>: the container. Default <c>orlog-segments</c>.</summary>
    public string ContainerName { get; set; } = AzureBlobRemoteStoreOptions.DefaultContainerName;

    public int CheckIntervalMs { get; set; } = TieringOptions.DefaultCheckIntervalMs;

    public int MaxConcurrentCopies { get; set; } = TieringOptions.DefaultMaxConcurrentCopies;

    public long MaxCopyBytesPerSecond { get; set; } = TieringOptions.DefaultMaxCopyBytesPerSecond;

    public long MaxReadBytesPerSecond { get; set; } = TieringOptions.DefaultMaxReadBytesPerSecond;

    /// <summary>The tiering options these settings make.</summary>
    public void Configure(TieringOptions options)
    {
        options.CheckIntervalMs = CheckIntervalMs;
        options.MaxConcurrentCopies = MaxConcurrentCopies;
        options.MaxCopyBytesPerSecond = MaxCopyBytesPerSecond;
        options.MaxReadBytesPerSecond = MaxReadBytesPerSecond;
    }

    /// <summary>The remote store these settings name.</summary>
    public IRemoteSegmentStore CreateStore(string dataDir) => Provider == TieringProvider.AzureBlob
        ? new AzureBlobRemoteStore(new AzureBlobRemoteStoreOptions { ConnectionString = ConnectionString, ServiceUri = ServiceUri, ContainerName = ContainerName })
        : new LocalDirectoryRemoteStore(Hosting.OrlogSiloBuilderExtensions.ColdDirectory(dataDir));
}
