using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orlog.Azure;
using Orlog.Storage.AzureBlob;
using Xunit;

namespace Orlog.Storage;

/// <summary>The grain storage contract against Azure Blob Storage (Azurite), plus what is specific to blobs.</summary>
public sealed class AzureBlobGrainStorageTests : GrainStorageContractTests
{
    private readonly BlobContainerClient _container = Azurite.NewContainer("grainstate");

    protected override IGrainStorage CreateStorage() => NewStorage();

    private AzureBlobGrainStorage NewStorage() =>
        new("blobs", _container, StorageSerializer, ActivatorProvider, NullLogger<AzureBlobGrainStorage>.Instance);

    [Fact]
    public async Task Blobs_AreNamedByStateAndEscapedGrainId()
    {
        var id = GrainId.Create("test", "Orders/ü");
        await WriteNewAsync(id, Sample(3));

        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            names.Add(blob.Name);
        }

        Assert.Contains("state/test+%4Frders%2F%C3%BC.state", names);
        Assert.Equal("state/test+%4Frders%2F%C3%BC.state", AzureBlobGrainStorage.BlobName(StateName, id));
    }

    [Fact]
    public void Options_NeedExactlyOneWayToConnect_AndAValidContainerName()
    {
        Assert.Throws<ArgumentException>(() => new AzureBlobGrainStorageOptions().Validate());
        Assert.Throws<ArgumentException>(() => new AzureBlobGrainStorageOptions { ConnectionString = "x", ServiceUri = new Uri("https://a.blob.core.windows.net") }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureBlobGrainStorageOptions { ConnectionString = "x", ContainerName = "Upper" }.Validate());
        new AzureBlobGrainStorageOptions { ServiceUri = new Uri("https://a.blob.core.windows.net") }.Validate();
    }
}
