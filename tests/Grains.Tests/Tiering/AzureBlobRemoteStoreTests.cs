using System.Text.Json;
using Azure.Storage.Blobs;
using Orlog.Azure;
using Orlog.Errors;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Tiering;

/// <summary>The remote segment store contract against Azure Blob Storage (Azurite), plus what is specific to blobs.</summary>
public sealed class AzureBlobRemoteStoreTests : RemoteSegmentStoreContractTests
{
    /// <summary>Small blocks, so a large segment file is uploaded in several, concurrently.</summary>
    private const int TestBlockBytes = 256 * 1024;

    private readonly string _containerName = Azurite.NewContainer("segments").Name;

    protected override IRemoteSegmentStore CreateStore() => new AzureBlobRemoteStore(Options(Azurite.ConnectionString));

    private BlobContainerClient Container => AzureBlobRemoteStore.ContainerClient(Options(Azurite.ConnectionString));

    private AzureBlobRemoteStoreOptions Options(string connectionString) => new()
    {
        ConnectionString = connectionString,
        ContainerName = _containerName,
        UploadBlockBytes = TestBlockBytes,
        MaxConcurrencyPerUpload = 3,
    };

    [Fact]
    public async Task Blobs_AreNamedByTopicPartitionAndBaseOffset()
    {
        var partition = NewPartition(3);
        await CopyAsync(new RemoteSegmentId(partition, 42), RandomSegment(logBytes: LargeLogBytes));
        await Store.WriteManifestAsync(partition, Manifest(Entry(42)), null, Token);

        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync(new() { Prefix = partition.Topic + "/" }, Token))
        {
            names.Add(blob.Name);
        }

        var folder = $"{partition.Topic}/3/";
        Assert.Equal(
            [folder + "00000000000000000042.index", folder + "00000000000000000042.log", folder + "00000000000000000042.timeindex", folder + "manifest.json"],
            names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheManifestBlob_IsVersionedJson_WithoutARevision_AndItsVersionIsTheETag()
    {
        var partition = NewPartition();
        var version = await Store.WriteManifestAsync(partition, Manifest(Entry(0, RemoteSegmentState.CopyStarted)), null, Token);

        var blob = Container.GetBlobClient(RemoteStorePaths.Manifest(partition));
        var download = (await blob.DownloadContentAsync(Token)).Value;
        using var json = JsonDocument.Parse(download.Content.ToMemory());

        Assert.Equal(version, download.Details.ETag.ToString());
        Assert.Equal("application/json", download.Details.ContentType);
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("revision", out _));
        Assert.Equal("CopyStarted", json.RootElement.GetProperty("segments")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task AStoreOverAClosedPort_FailsWithAStorageError()
    {
        var unreachable = string.Join(';', Azurite.ConnectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !part.StartsWith("BlobEndpoint=", StringComparison.OrdinalIgnoreCase))
            .Append("BlobEndpoint=http://127.0.0.1:1/devstoreaccount1"));
        var store = new AzureBlobRemoteStore(Options(unreachable));
        var partition = NewPartition();
        var id = new RemoteSegmentId(partition, 0);
        var files = WriteLocalFiles(RandomSegment());

        Func<Task>[] operations =
        [
            () => store.CopyAsync(id, files, Token),
            () => store.ReadAsync(id, RemoteFileKind.Log, 0, new byte[10], Token),
            () => store.DeleteAsync(id, Token),
            () => store.ListAsync(partition, Token),
            () => store.ReadManifestAsync(partition, Token),
            () => store.WriteManifestAsync(partition, Manifest(), null, Token),
            () => store.DeletePartitionAsync(partition, Token),
        ];

        foreach (var operation in operations)
        {
            var error = await Assert.ThrowsAsync<OrlogException>(operation);
            Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
        }
    }

    [Fact]
    public void Options_NeedExactlyOneWayToConnect_AValidContainerName_AndPositiveUploadSettings()
    {
        var uri = new Uri("https://a.blob.core.windows.net");
        Assert.Throws<ArgumentException>(() => new AzureBlobRemoteStoreOptions().Validate());
        Assert.Throws<ArgumentException>(() => new AzureBlobRemoteStoreOptions { ConnectionString = "x", ServiceUri = uri }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureBlobRemoteStoreOptions { ConnectionString = "x", ContainerName = "Upper" }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureBlobRemoteStoreOptions { ServiceUri = uri, MaxConcurrencyPerUpload = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureBlobRemoteStoreOptions { ServiceUri = uri, UploadBlockBytes = 0 }.Validate());

        var defaults = new AzureBlobRemoteStoreOptions { ServiceUri = uri };
        defaults.Validate();
        Assert.Equal("orlog-segments", defaults.ContainerName);
        Assert.Equal(4, defaults.MaxConcurrencyPerUpload);
        Assert.Equal(8 * 1024 * 1024, defaults.UploadBlockBytes);
    }
}
