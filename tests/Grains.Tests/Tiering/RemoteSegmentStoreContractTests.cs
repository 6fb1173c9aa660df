using Orlog.Errors;
using Orlog.Log;
using Xunit;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Tiering;

/// <summary>
/// What every <see cref="IRemoteSegmentStore"/> promises, run against each implementation by a
/// subclass that supplies <see cref="CreateStore"/>. Written against the interface only; every test
/// uses topics of its own, so implementations may share one directory or container across tests.
/// </summary>
public abstract class RemoteSegmentStoreContractTests : IDisposable
{
    /// <summary>Larger than one upload block of the Azure test store and one read of a download stream.</summary>
    protected const int LargeLogBytes = (1 << 20) + 12_345;

    private readonly TempDirectory _sources = new();
    private IRemoteSegmentStore? _store;

    /// <summary>The store under test; called once per test.</summary>
    protected abstract IRemoteSegmentStore CreateStore();

    protected IRemoteSegmentStore Store => _store ??= CreateStore();

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _sources.Dispose();
        DisposeStore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a subclass made for its store.</summary>
    protected virtual void DisposeStore()
    {
    }

    /// <summary>A topic no other test uses.</summary>
    protected static string NewTopic() => $"t-{Guid.NewGuid():N}";

    protected static TopicPartition NewPartition(int partition = 0) => new(NewTopic(), partition);

    /// <summary>The three files of a segment, random bytes of the given sizes.</summary>
    protected static SegmentContent RandomSegment(int logBytes = 5_000, int indexBytes = 808, int timeIndexBytes = 1_212) =>
        new(RandomBytes(logBytes), RandomBytes(indexBytes), RandomBytes(timeIndexBytes));

    /// <summary>Writes a segment's files to a fresh local folder and copies them to the store.</summary>
    protected async Task<SegmentContent> CopyAsync(RemoteSegmentId id, SegmentContent? content = null)
    {
        content ??= RandomSegment();
        await Store.CopyAsync(id, WriteLocalFiles(content), Token);
        return content;
    }

    protected SegmentFilePaths WriteLocalFiles(SegmentContent content)
    {
        var folder = _sources.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var paths = new SegmentFilePaths(Path.Combine(folder, "a.log"), Path.Combine(folder, "a.index"), Path.Combine(folder, "a.timeindex"));
        File.WriteAllBytes(paths.Log, content.Log);
        File.WriteAllBytes(paths.OffsetIndex, content.OffsetIndex);
        File.WriteAllBytes(paths.TimeIndex, content.TimeIndex);
        return paths;
    }

    /// <summary>Reads a whole remote file through a buffer larger than it.</summary>
    protected async Task<byte[]> ReadAllAsync(RemoteSegmentId id, RemoteFileKind kind, int atMost)
    {
        var buffer = new byte[atMost + 100];
        var read = await Store.ReadAsync(id, kind, 0, buffer, Token);
        return buffer[..read];
    }

    protected static RemoteManifest Manifest(params RemoteSegmentEntry[] segments) => new(segments);

    protected static RemoteSegmentEntry Entry(long baseOffset, RemoteSegmentState state = RemoteSegmentState.CopyFinished) =>
        new(baseOffset, baseOffset + 99, 1_700_000_000_000 + baseOffset, 4_096 + baseOffset, 3, state);

    protected static void AssertSameManifest(RemoteManifest expected, RemoteManifest? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Segments, actual.Segments);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    // ---- segments ----

    [Fact]
    public async Task Copy_ThenRead_GivesBackEachFileByteForByte()
    {
        var id = new RemoteSegmentId(NewPartition(3), 42);
        var content = await CopyAsync(id, RandomSegment(logBytes: LargeLogBytes));

        foreach (var kind in RemoteStorePaths.FileKinds)
        {
            Assert.Equal(content.Of(kind), await ReadAllAsync(id, kind, content.Of(kind).Length));
        }
    }

    [Theory]
    [InlineData(RemoteFileKind.Log)]
    [InlineData(RemoteFileKind.OffsetIndex)]
    [InlineData(RemoteFileKind.TimeIndex)]
    public async Task Read_AtAnyPositionAndLength_GivesThoseBytes_FewerAtTheEnd_NonePastIt(RemoteFileKind kind)
    {
        var id = new RemoteSegmentId(NewPartition(), 0);
        var file = (await CopyAsync(id)).Of(kind);
        var size = file.Length;
        (long Position, int Length)[] reads =
        [
            (0, 1), (0, 100), (1, 7), (17, size / 2), (size / 3, size / 3), (0, size),
            (size - 10, 10), (size - 1, 1), (size - 10, 100), (0, size + 1), (1, size * 2),
            (size, 10), (size, 1), (size + 1, 10), (size + 1_000_000, 4_096),
        ];

        foreach (var (position, length) in reads)
        {
            var buffer = new byte[length];
            var read = await Store.ReadAsync(id, kind, position, buffer, Token);

            var expected = file.AsSpan((int)Math.Min(position, size))[..(int)Math.Clamp(size - position, 0, length)];
            Assert.True(expected.Length == read, $"{kind} at {position} for {length}: read {read} bytes, expected {expected.Length}");
            Assert.True(expected.SequenceEqual(buffer.AsSpan(0, read)), $"{kind} at {position} for {length}: other bytes");
        }
    }

    [Fact]
    public async Task Read_OfAnEmptyBuffer_ReadsNothing()
    {
        var id = new RemoteSegmentId(NewPartition(), 0);
        await CopyAsync(id);

        Assert.Equal(0, await Store.ReadAsync(id, RemoteFileKind.Log, 10, Memory<byte>.Empty, Token));
    }

    [Fact]
    public async Task Read_OfAnEmptyFile_ReadsNothing()
    {
        var id = new RemoteSegmentId(NewPartition(), 0);
        await CopyAsync(id, RandomSegment(logBytes: 100, indexBytes: 0, timeIndexBytes: 0));

        Assert.Equal(0, await Store.ReadAsync(id, RemoteFileKind.OffsetIndex, 0, new byte[10], Token));
        Assert.Equal(100, await Store.ReadAsync(id, RemoteFileKind.Log, 0, new byte[1000], Token));
    }

    [Fact]
    public async Task ASecondCopy_ReplacesTheFirst_AlsoWhenShorter()
    {
        var id = new RemoteSegmentId(NewPartition(), 1_000);
        var first = await CopyAsync(id, RandomSegment(logBytes: LargeLogBytes, indexBytes: 4_000, timeIndexBytes: 6_000));
        var second = await CopyAsync(id, RandomSegment(logBytes: 3_000, indexBytes: 400, timeIndexBytes: 600));

        foreach (var kind in RemoteStorePaths.FileKinds)
        {
            Assert.Equal(second.Of(kind), await ReadAllAsync(id, kind, first.Of(kind).Length));
            Assert.Equal(0, await Store.ReadAsync(id, kind, second.Of(kind).Length, new byte[10], Token));
        }
    }

    [Fact]
    public async Task Read_OfAMissingSegment_IsAStorageError()
    {
        var partition = NewPartition();
        await CopyAsync(new RemoteSegmentId(partition, 0));

        foreach (var missing in new[] { new RemoteSegmentId(partition, 100), new RemoteSegmentId(NewPartition(), 0) })
        {
            foreach (var kind in RemoteStorePaths.FileKinds)
            {
                var error = await Assert.ThrowsAsync<OrlogException>(() => Store.ReadAsync(missing, kind, 0, new byte[10], Token));
                Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
            }

            var empty = await Assert.ThrowsAsync<OrlogException>(() => Store.ReadAsync(missing, RemoteFileKind.Log, 0, Memory<byte>.Empty, Token));
            Assert.Equal(ErrorCode.KafkaStorageError, empty.Code);
        }
    }

    [Fact]
    public async Task Delete_RemovesTheSegment_LeavesTheOthers_AndIsIdempotent()
    {
        var partition = NewPartition();
        var kept = new RemoteSegmentId(partition, 0);
        var deleted = new RemoteSegmentId(partition, 100);
        var keptContent = await CopyAsync(kept);
        await CopyAsync(deleted);

        await Store.DeleteAsync(deleted, Token);

        Assert.Equal([0L], await Store.ListAsync(partition, Token));
        foreach (var kind in RemoteStorePaths.FileKinds)
        {
            var error = await Assert.ThrowsAsync<OrlogException>(() => Store.ReadAsync(deleted, kind, 0, new byte[10], Token));
            Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
        }

        Assert.Equal(keptContent.Log, await ReadAllAsync(kept, RemoteFileKind.Log, keptContent.Log.Length));
        await Store.DeleteAsync(deleted, Token);
        await Store.DeleteAsync(new RemoteSegmentId(NewPartition(), 7), Token);
        Assert.Equal([0L], await Store.ListAsync(partition, Token));
    }

    [Fact]
    public async Task List_GivesTheBaseOffsetsOfThePartitionOnly_Ascending()
    {
        var topic = NewTopic();
        var partition = new TopicPartition(topic + "-1", 1);
        foreach (var baseOffset in new long[] { 300, 0, 20, 1_000_000_000_000, 5 })
        {
            await CopyAsync(new RemoteSegmentId(partition, baseOffset));
        }

        // Neighbours whose names start like it: partition 10 of the topic, partition 1 of topic "<topic>-10".
        await CopyAsync(new RemoteSegmentId(partition with { Partition = 10 }, 7));
        await CopyAsync(new RemoteSegmentId(partition with { Partition = 0 }, 8));
        await CopyAsync(new RemoteSegmentId(new TopicPartition(topic + "-10", 1), 9));
        await CopyAsync(new RemoteSegmentId(new TopicPartition(topic + "-1x", 1), 11));
        await Store.WriteManifestAsync(partition, Manifest(Entry(0)), null, Token);

        Assert.Equal([0L, 5, 20, 300, 1_000_000_000_000], await Store.ListAsync(partition, Token));
        Assert.Equal([7L], await Store.ListAsync(partition with { Partition = 10 }, Token));
        Assert.Equal([9L], await Store.ListAsync(new TopicPartition(topic + "-10", 1), Token));
        Assert.Empty(await Store.ListAsync(new TopicPartition(topic + "-1", 2), Token));
        Assert.Empty(await Store.ListAsync(NewPartition(), Token));
    }

    // ---- manifest ----

    [Fact]
    public async Task ReadManifest_WhenNoneWasWritten_IsNull()
    {
        Assert.Null(await Store.ReadManifestAsync(NewPartition(), Token));
    }

    [Fact]
    public async Task WriteManifest_WithNoExpectedVersion_CreatesIt()
    {
        var partition = NewPartition();
        var manifest = Manifest(Entry(0), Entry(100, RemoteSegmentState.CopyStarted));

        var version = await Store.WriteManifestAsync(partition, manifest, null, Token);

        Assert.False(string.IsNullOrEmpty(version));
        var read = await Store.ReadManifestAsync(partition, Token);
        Assert.NotNull(read);
        Assert.Equal(version, read.Version);
        AssertSameManifest(manifest, read.Manifest);
    }

    [Fact]
    public async Task WriteManifest_WithNoExpectedVersion_WhenOneExists_Conflicts_AndChangesNothing()
    {
        var partition = NewPartition();
        var version = await Store.WriteManifestAsync(partition, Manifest(Entry(0)), null, Token);

        var conflict = await Assert.ThrowsAsync<RemoteManifestConflictException>(
            () => Store.WriteManifestAsync(partition, Manifest(Entry(500)), null, Token));

        Assert.Equal(partition, conflict.Partition);
        var read = await Store.ReadManifestAsync(partition, Token);
        Assert.Equal(version, read?.Version);
        AssertSameManifest(Manifest(Entry(0)), read?.Manifest);
    }

    [Fact]
    public async Task WriteManifest_WithTheReadVersion_ReplacesIt_WithANewVersion()
    {
        var partition = NewPartition();
        var first = await Store.WriteManifestAsync(partition, Manifest(Entry(0, RemoteSegmentState.CopyStarted)), null, Token);
        var read = await Store.ReadManifestAsync(partition, Token);
        Assert.Equal(first, read?.Version);

        var second = await Store.WriteManifestAsync(partition, Manifest(Entry(0), Entry(100, RemoteSegmentState.CopyStarted)), read!.Version, Token);
        var third = await Store.WriteManifestAsync(partition, Manifest(Entry(0), Entry(100)), second, Token);

        Assert.NotEqual(first, second);
        Assert.NotEqual(second, third);
        Assert.NotEqual(first, third);
        var last = await Store.ReadManifestAsync(partition, Token);
        Assert.Equal(third, last?.Version);
        AssertSameManifest(Manifest(Entry(0), Entry(100)), last?.Manifest);
    }

    [Fact]
    public async Task WriteManifest_WithAStaleVersion_Conflicts_AndLeavesTheStoredOne()
    {
        var partition = NewPartition();
        var stale = await Store.WriteManifestAsync(partition, Manifest(Entry(0)), null, Token);
        var current = await Store.WriteManifestAsync(partition, Manifest(Entry(0), Entry(100)), stale, Token);

        var conflict = await Assert.ThrowsAsync<RemoteManifestConflictException>(
            () => Store.WriteManifestAsync(partition, Manifest(Entry(0, RemoteSegmentState.DeleteStarted)), stale, Token));

        Assert.Equal(partition, conflict.Partition);
        var read = await Store.ReadManifestAsync(partition, Token);
        Assert.Equal(current, read?.Version);
        AssertSameManifest(Manifest(Entry(0), Entry(100)), read?.Manifest);
    }

    [Fact]
    public async Task WriteManifest_WithAVersion_WhenNoneExists_Conflicts()
    {
        var partition = NewPartition();
        var elsewhere = await Store.WriteManifestAsync(NewPartition(), Manifest(Entry(0)), null, Token);

        await Assert.ThrowsAsync<RemoteManifestConflictException>(() => Store.WriteManifestAsync(partition, Manifest(Entry(0)), elsewhere, Token));

        Assert.Null(await Store.ReadManifestAsync(partition, Token));
    }

    [Fact]
    public async Task TwoWritersFromTheSameVersion_ExactlyOneWins()
    {
        var partition = NewPartition();
        var version = await Store.WriteManifestAsync(partition, Manifest(), null, Token);

        for (var round = 1; round <= 10; round++)
        {
            var manifests = new[] { Manifest(Entry(round * 1_000)), Manifest(Entry(round * 1_000 + 1)) };
            var attempts = manifests.Select(m => Task.Run(() => Store.WriteManifestAsync(partition, m, version, Token), Token)).ToArray();
            try
            {
                await Task.WhenAll(attempts);
            }
            catch (RemoteManifestConflictException)
            {
                // Expected of one of them; counted below.
            }

            var won = Assert.Single(attempts, a => a.IsCompletedSuccessfully);
            var lost = Assert.Single(attempts, a => a.IsFaulted);
            Assert.IsType<RemoteManifestConflictException>(lost.Exception!.InnerException);

            var winner = Array.IndexOf(attempts, won);
            var read = await Store.ReadManifestAsync(partition, Token);
            Assert.Equal(await won, read?.Version);
            AssertSameManifest(manifests[winner], read?.Manifest);
            version = read!.Version;
        }
    }

    [Fact]
    public async Task Manifest_RoundTripsEveryFieldAndState()
    {
        var partition = NewPartition();
        var manifest = Manifest(
            new RemoteSegmentEntry(0, 99, -1, 0, 0, RemoteSegmentState.CopyFinished),
            new RemoteSegmentEntry(100, 4_999_999_999, 1_700_000_000_123, 1_073_741_824, 7, RemoteSegmentState.DeleteStarted),
            new RemoteSegmentEntry(5_000_000_000, long.MaxValue - 1, long.MaxValue, long.MaxValue, int.MaxValue, RemoteSegmentState.CopyStarted));

        var version = await Store.WriteManifestAsync(partition, manifest, null, Token);
        var read = await Store.ReadManifestAsync(partition, Token);
        AssertSameManifest(manifest, read?.Manifest);

        await Store.WriteManifestAsync(partition, RemoteManifest.Empty, version, Token);
        var empty = await Store.ReadManifestAsync(partition, Token);
        Assert.Empty(empty!.Manifest.Segments);
    }

    // ---- partitions ----

    [Fact]
    public async Task DeletePartition_RemovesItsSegmentsAndManifest_AndNothingElse()
    {
        var partition = NewPartition(2);
        var neighbour = partition with { Partition = 20 };
        await CopyAsync(new RemoteSegmentId(partition, 0));
        await CopyAsync(new RemoteSegmentId(partition, 100));
        await Store.WriteManifestAsync(partition, Manifest(Entry(0), Entry(100)), null, Token);
        var neighbourContent = await CopyAsync(new RemoteSegmentId(neighbour, 0));
        var neighbourVersion = await Store.WriteManifestAsync(neighbour, Manifest(Entry(0)), null, Token);

        await Store.DeletePartitionAsync(partition, Token);

        Assert.Empty(await Store.ListAsync(partition, Token));
        Assert.Null(await Store.ReadManifestAsync(partition, Token));
        var error = await Assert.ThrowsAsync<OrlogException>(() => Store.ReadAsync(new RemoteSegmentId(partition, 0), RemoteFileKind.Log, 0, new byte[10], Token));
        Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
        Assert.Equal([0L], await Store.ListAsync(neighbour, Token));
        Assert.Equal(neighbourContent.Log, await ReadAllAsync(new RemoteSegmentId(neighbour, 0), RemoteFileKind.Log, neighbourContent.Log.Length));
        Assert.Equal(neighbourVersion, (await Store.ReadManifestAsync(neighbour, Token))?.Version);

        await Store.DeletePartitionAsync(partition, Token);
        await Store.DeletePartitionAsync(NewPartition(), Token);
        await Store.WriteManifestAsync(partition, Manifest(), null, Token);
    }

    /// <summary>The bytes of a segment's three files.</summary>
    protected sealed record SegmentContent(byte[] Log, byte[] OffsetIndex, byte[] TimeIndex)
    {
        public byte[] Of(RemoteFileKind kind) => kind switch
        {
            RemoteFileKind.Log => Log,
            RemoteFileKind.OffsetIndex => OffsetIndex,
            _ => TimeIndex,
        };
    }
}
