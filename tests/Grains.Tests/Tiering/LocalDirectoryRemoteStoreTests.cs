using System.Text;
using System.Text.Json;
using Orlog.Errors;
using Orlog.Log;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Tiering;

/// <summary>The remote segment store contract against a local directory, plus what is specific to files.</summary>
public sealed class LocalDirectoryRemoteStoreTests : RemoteSegmentStoreContractTests
{
    private readonly TempDirectory _root = new();

    protected override IRemoteSegmentStore CreateStore() => new LocalDirectoryRemoteStore(_root.Path);

    protected override void DisposeStore() => _root.Dispose();

    private string PartitionDirectory(TopicPartition partition) => Path.Combine(_root.Path, partition.Topic, partition.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Copy_LaysOutTheFilesByBaseOffset_AndLeavesNoTempFile()
    {
        var partition = NewPartition(3);
        var content = await CopyAsync(new RemoteSegmentId(partition, 42), RandomSegment(logBytes: LargeLogBytes));
        await CopyAsync(new RemoteSegmentId(partition, 42));
        await Store.WriteManifestAsync(partition, Manifest(Entry(42)), null, Token);

        var files = Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(_root.Path, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        var folder = $"{partition.Topic}/3/";
        Assert.Equal(
            [folder + "00000000000000000042.index", folder + "00000000000000000042.log", folder + "00000000000000000042.timeindex", folder + "manifest.json"],
            files);
        Assert.Equal(LargeLogBytes, content.Log.Length);
    }

    [Fact]
    public async Task AStrayTempFile_IsNotListed_AndDeleteRemovesIt()
    {
        var partition = NewPartition();
        var id = new RemoteSegmentId(partition, 0);
        await CopyAsync(id);
        var stray = Path.Combine(PartitionDirectory(partition), "00000000000000000099.log.tmp");
        var strayOfId = Path.Combine(PartitionDirectory(partition), "00000000000000000000.index.tmp");
        await File.WriteAllBytesAsync(stray, [1, 2, 3], Token);
        await File.WriteAllBytesAsync(strayOfId, [1, 2, 3], Token);

        Assert.Equal([0L], await Store.ListAsync(partition, Token));

        await Store.DeleteAsync(id, Token);
        Assert.False(File.Exists(strayOfId));
        Assert.Empty(await Store.ListAsync(partition, Token));
    }

    [Fact]
    public async Task ManifestFile_IsVersionedJson_WithStatesByName_AndARevisionPerWrite()
    {
        var partition = NewPartition();
        var first = await Store.WriteManifestAsync(partition, Manifest(Entry(0, RemoteSegmentState.CopyStarted)), null, Token);
        var second = await Store.WriteManifestAsync(partition, Manifest(Entry(0), Entry(100, RemoteSegmentState.DeleteStarted)), first, Token);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(PartitionDirectory(partition), "manifest.json"), Token));
        var root = json.RootElement;
        Assert.Equal("1", first);
        Assert.Equal("2", second);
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(2, root.GetProperty("revision").GetInt64());
        var segments = root.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(["CopyFinished", "DeleteStarted"], segments.Select(s => s.GetProperty("state").GetString()));
        Assert.Equal(100, segments[1].GetProperty("baseOffset").GetInt64());
        Assert.Equal(199, segments[1].GetProperty("lastOffset").GetInt64());
    }

    [Fact]
    public async Task ANewInstanceOverTheSameDirectory_ReadsTheManifestAndSegments_AndContinuesTheVersions()
    {
        var partition = NewPartition();
        var id = new RemoteSegmentId(partition, 0);
        var content = await CopyAsync(id);
        var version = await Store.WriteManifestAsync(partition, Manifest(Entry(0)), null, Token);

        var restarted = new LocalDirectoryRemoteStore(_root.Path);
        var read = await restarted.ReadManifestAsync(partition, Token);

        Assert.Equal(version, read?.Version);
        AssertSameManifest(Manifest(Entry(0)), read?.Manifest);
        var buffer = new byte[content.Log.Length];
        Assert.Equal(content.Log.Length, await restarted.ReadAsync(id, RemoteFileKind.Log, 0, buffer, Token));
        Assert.Equal(content.Log, buffer);
        var next = await restarted.WriteManifestAsync(partition, Manifest(Entry(0), Entry(100)), version, Token);
        await Assert.ThrowsAsync<RemoteManifestConflictException>(() => Store.WriteManifestAsync(partition, Manifest(), version, Token));
        Assert.Equal(next, (await Store.ReadManifestAsync(partition, Token))?.Version);
    }

    [Theory]
    [InlineData("""{"version":2,"revision":1,"segments":[]}""")]
    [InlineData("""{"revision":1,"segments":[]}""")]
    [InlineData("""{"version":1,"segments":[]}""")]
    [InlineData("""{"version":1,"revision":1,"segments":[{"baseOffset":0,"lastOffset":9,"maxTimestamp":0,"sizeInBytes":1,"leaderEpoch":0,"state":"Lost"}]}""")]
    [InlineData("""{"version":1,"revision":1,"segments":[{"baseOffset":0,"lastOffset":9,"maxTimestamp":0,"sizeInBytes":1,"state":"CopyStarted"}]}""")]
    [InlineData("""{"version":1,"revision":1}""")]
    [InlineData("""not json""")]
    [InlineData("""null""")]
    public async Task AManifestOfAnUnknownFormatVersion_OrMalformed_IsRefused_AndNotOverwritten(string stored)
    {
        var partition = NewPartition();
        var version = await Store.WriteManifestAsync(partition, Manifest(Entry(0)), null, Token);
        var path = Path.Combine(PartitionDirectory(partition), "manifest.json");
        await File.WriteAllTextAsync(path, stored, Token);

        var read = await Assert.ThrowsAsync<OrlogException>(() => Store.ReadManifestAsync(partition, Token));
        var write = await Assert.ThrowsAsync<OrlogException>(() => Store.WriteManifestAsync(partition, Manifest(), version, Token));

        Assert.Equal(ErrorCode.KafkaStorageError, read.Code);
        Assert.Equal(ErrorCode.KafkaStorageError, write.Code);
        Assert.Equal(stored, await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public void ManifestJson_RefusesAnotherFormatVersion_NamingIt()
    {
        var error = Assert.Throws<OrlogException>(() => RemoteManifestJson.Deserialize(Encoding.UTF8.GetBytes("""{"version":7,"segments":[]}"""), "m.json"));

        Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
        Assert.Contains("format version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("m.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestJson_WithoutARevision_LeavesItOut()
    {
        var json = RemoteManifestJson.Serialize(Manifest(Entry(5)));

        var manifest = RemoteManifestJson.Deserialize(json, "m.json", out var revision);

        Assert.DoesNotContain("revision", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Null(revision);
        AssertSameManifest(Manifest(Entry(5)), manifest);
    }

    [Fact]
    public async Task TopicNames_ThatCouldLeaveTheRoot_AreRefused()
    {
        foreach (var topic in new[] { "..", ".", "a/b", "" })
        {
            var error = await Assert.ThrowsAsync<OrlogException>(() => Store.ListAsync(new TopicPartition(topic, 0), Token));
            Assert.Equal(ErrorCode.InvalidTopic, error.Code);
        }
    }
}
