using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Providers;
using Orleans.Storage;
using Orlog.Errors;
using Orlog.Log;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Storage;

public sealed class FileGrainStorageTests : GrainStorageContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IGrainStorage CreateStorage() => NewStorage();

    private FileGrainStorage NewStorage() =>
        new("files", new FileGrainStorageOptions { RootDirectory = _directory.Path }, StorageSerializer, ActivatorProvider, NullLogger<FileGrainStorage>.Instance);

    private string PathOf(GrainId id) => ((FileGrainStorage)Storage).GetFilePath(StateName, id);

    [Fact]
    public async Task Files_AreNamedByStateAndEscapedGrainId_AndNoTempFileRemains()
    {
        var id = GrainId.Create("test", "Orders/ü");

        await WriteNewAsync(id, Sample(1));

        var expected = Path.Combine(_directory.Path, "state", "test+%4Frders%2F%C3%BC.state");
        Assert.Equal(expected, PathOf(id));
        Assert.Equal([expected], Directory.GetFiles(Path.Combine(_directory.Path, "state")));
    }

    [Fact]
    public async Task LongGrainIds_GetShortDistinctFileNames()
    {
        var first = GrainId.Create("test", new string('k', 400) + "1");
        var second = GrainId.Create("test", new string('k', 400) + "2");

        await WriteNewAsync(first, Sample(1));
        await WriteNewAsync(second, Sample(2));

        Assert.NotEqual(PathOf(first), PathOf(second));
        Assert.All([PathOf(first), PathOf(second)], path => Assert.InRange(Path.GetFileName(path).Length, 1, GrainStateFileNames.MaxNameLength + GrainStateFileNames.Extension.Length));
        Assert.Equal(Sample(2), (await ReadAsync(second)).State);
    }

    [Theory]
    [InlineData(-1)] // last byte of the payload
    [InlineData(14)] // inside the ETag
    [InlineData(2)] // the magic
    public async Task AFlippedByte_MakesReadAndWriteFailLoudly(int position)
    {
        var id = NewGrainId();
        var state = await WriteNewAsync(id, Sample(1));
        var bytes = await File.ReadAllBytesAsync(PathOf(id), TestContext.Current.CancellationToken);
        bytes[position < 0 ? bytes.Length + position : position] ^= 0x10;
        await File.WriteAllBytesAsync(PathOf(id), bytes, TestContext.Current.CancellationToken);

        var read = await Assert.ThrowsAsync<OrlogException>(() => ReadAsync(id));
        var write = await Assert.ThrowsAsync<OrlogException>(() => Storage.WriteStateAsync(StateName, id, state));

        Assert.Equal(ErrorCode.KafkaStorageError, read.Code);
        Assert.Contains(PathOf(id), read.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", read.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.KafkaStorageError, write.Code);
    }

    [Fact]
    public async Task ATruncatedFile_FailsLoudly()
    {
        var id = NewGrainId();
        await WriteNewAsync(id, Sample(1));
        using (var file = File.OpenHandle(PathOf(id), FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(file, RandomAccess.GetLength(file) - 1);
        }

        var error = await Assert.ThrowsAsync<OrlogException>(() => ReadAsync(id));

        Assert.Contains("torn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFileOfAnotherGrain_IsNotTakenForThisOne()
    {
        var owner = NewGrainId();
        var other = NewGrainId();
        await WriteNewAsync(owner, Sample(1));
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(other))!);
        File.Copy(PathOf(owner), PathOf(other));

        var error = await Assert.ThrowsAsync<OrlogException>(() => ReadAsync(other));

        Assert.Contains(owner.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStrayTempFileFromACrashMidWrite_IsIgnored_AndReplacedByTheNextWrite()
    {
        var id = NewGrainId();
        var state = await WriteNewAsync(id, Sample(1));
        var temp = PathOf(id) + ".tmp";
        await File.WriteAllBytesAsync(temp, [0x4F, 0x47, 0x53, 0x54, 1, 2, 3], TestContext.Current.CancellationToken);

        var afterCrash = new GrainState<TestState>();
        await NewStorage().ReadStateAsync(StateName, id, afterCrash);
        Assert.Equal(Sample(1), afterCrash.State);
        Assert.Equal(state.ETag, afterCrash.ETag);

        afterCrash.State = Sample(2);
        await Storage.WriteStateAsync(StateName, id, afterCrash);
        Assert.Equal(Sample(2), (await ReadAsync(id)).State);
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public async Task AWriteCancelledBeforeItStarts_ChangesNothing()
    {
        var id = NewGrainId();
        var state = await WriteNewAsync(id, Sample(1));
        var etag = state.ETag;
        state.State = Sample(2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Storage.WriteStateAsync(StateName, id, state, new CancellationToken(canceled: true)));

        Assert.Equal(etag, state.ETag);
        Assert.Equal(Sample(1), (await ReadAsync(id)).State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Options_RejectABlankRootDirectory(string root)
    {
        Assert.ThrowsAny<ArgumentException>(() => new FileGrainStorageOptions { RootDirectory = root }.Validate());
    }

    [Fact]
    public void AddFileGrainStorage_RegistersNamedProviders_WithTheirOwnDirectories()
    {
        var metadata = _directory.Combine("metadata");
        var other = _directory.Combine("other");
        using var host = Host.CreateDefaultBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering()
                .AddFileGrainStorage("metadata", options => options.RootDirectory = metadata)
                .AddFileGrainStorageAsDefault(options => options.RootDirectory = other))
            .Build();

        var named = Assert.IsType<FileGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>("metadata"));
        var byDefault = Assert.IsType<FileGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));

        Assert.Equal(metadata, named.RootDirectory);
        Assert.Equal(other, byDefault.RootDirectory);
        foreach (var validator in host.Services.GetServices<IConfigurationValidator>())
        {
            validator.ValidateConfiguration();
        }
    }
}
