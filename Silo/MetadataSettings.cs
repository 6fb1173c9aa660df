namespace Orlog.Silo;

/// <summary>Where small durable state lives: topic specs, the topic and group lists, consumer-group offsets.</summary>
public enum MetadataProvider
{
    /// <summary>Files under <c>&lt;DataDir&gt;/metadata</c> (the embedded default).</summary>
    File,

    /// <summary>One blob per grain state in an Azure Blob container (a silo in the cloud).</summary>
    AzureBlob,
}

/// <summary>The silo's metadata settings (section <c>Orlog:Metadata</c>); see docs/CONFIG.md.</summary>
public sealed class MetadataSettings
{
    public const string SectionName = "Orlog:Metadata";

    public MetadataProvider Provider { get; set; } = MetadataProvider.File;

    /// <summary>With <see cref="MetadataProvider.AzureBlob"/>: a connection string, or leave it null and set <see cref="ServiceUri"/> (DefaultAzureCredential).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>With <see cref="MetadataProvider.AzureBlob"/>: the blob endpoint, <c>https://&lt;account&gt;.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>With <see cref="MetadataProvider.AzureBlob"/>: the container. Default <c>orlog-metadata</c>.</summary>
    public string ContainerName { get; set; } = Storage.AzureBlob.AzureBlobGrainStorageOptions.DefaultContainerName;
}
