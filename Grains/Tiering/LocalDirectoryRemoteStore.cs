using System.Collections.Concurrent;
using System.Globalization;
using Orlog.Errors;
using Orlog.Log;

namespace Orlog.Tiering;

/// <summary>
/// The remote tier of the embedded default: a "cold" directory, typically on cheaper or larger disks
/// than the log, laid out as <see cref="RemoteStorePaths"/> names things:
/// <c>&lt;root&gt;/&lt;topic&gt;/&lt;partition&gt;/&lt;baseOffset&gt;.{log,index,timeindex}</c> and
/// <c>manifest.json</c>.
/// </summary>
/// <remarks>
/// <para>
/// A copy writes each file to <c>&lt;name&gt;.tmp</c>, flushes it to disk and renames it over the real
/// name, so a crash leaves the old file or the new one under the real name, never part of one; a
/// stray <c>.tmp</c> is ignored by <see cref="ListAsync"/>, overwritten by the next copy and removed
/// by <see cref="DeleteAsync"/>. A read that opened a file before a copy replaced it goes on reading
/// the file it opened.
/// </para>
/// <para>
/// The manifest file holds the manifest's JSON (<see cref="RemoteManifestJson"/>) with a write
/// counter, its <c>revision</c>: the version is that counter as a decimal string, 1 for the first
/// write and one more for each write after. The check-then-write of
/// <see cref="WriteManifestAsync"/> is serialized by an in-process lock per partition, which is
/// enough because one silo owns a local cold tier; two processes sharing the directory would need
/// a file lock this store does not take. <see cref="DeletePartitionAsync"/> takes the same lock,
/// and the counter starts again at 1 after it, so a version read before a partition was deleted
/// must not be used after it is recreated (topic deletion ends the partition's writers first).
/// </para>
/// <para>File system failures are <see cref="ErrorCode.KafkaStorageError"/>.</para>
/// </remarks>
public sealed class LocalDirectoryRemoteStore : IRemoteSegmentStore
{
    private const string TempSuffix = AtomicFile.TempSuffix;

    private readonly ConcurrentDictionary<TopicPartition, SemaphoreSlim> _manifestLocks = new();

    public LocalDirectoryRemoteStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
    }

    /// <summary>The directory holding the cold tier (created as needed).</summary>
    public string RootDirectory { get; }

    public async Task CopyAsync(RemoteSegmentId id, SegmentFilePaths files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var directory = PartitionDirectory(id.Partition);
        try
        {
            Directory.CreateDirectory(directory);
            foreach (var kind in RemoteStorePaths.FileKinds)
            {
                var target = Path.Combine(directory, RemoteStorePaths.SegmentFileName(id.BaseOffset, kind));
                await CopyFileAsync(RemoteStorePaths.SourcePath(files, kind), target, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageError($"The copy of segment {id} to '{directory}' failed", e);
        }
    }

    public async Task<int> ReadAsync(RemoteSegmentId id, RemoteFileKind kind, long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var path = SegmentPath(id, kind);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer[total..], position + total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw StorageError($"The remote segment file '{path}' does not exist (segment {id} was never copied, or was deleted)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageError($"The read of '{path}' at {position} failed", e);
        }
    }

    public Task DeleteAsync(RemoteSegmentId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var directory = PartitionDirectory(id.Partition);
        try
        {
            if (Directory.Exists(directory))
            {
                foreach (var kind in RemoteStorePaths.FileKinds)
                {
                    var path = Path.Combine(directory, RemoteStorePaths.SegmentFileName(id.BaseOffset, kind));
                    File.Delete(path);
                    File.Delete(path + TempSuffix);
                }
            }

            return Task.CompletedTask;
        }
        catch (DirectoryNotFoundException)
        {
            // The partition was deleted meanwhile: so were the files.
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromException(StorageError($"The delete of segment {id} from '{directory}' failed", e));
        }
    }

    public Task<IReadOnlyList<long>> ListAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var directory = PartitionDirectory(partition);
        var offsets = new SortedSet<long>();
        try
        {
            if (Directory.Exists(directory))
            {
                foreach (var path in Directory.EnumerateFiles(directory))
                {
                    if (RemoteStorePaths.TryParseSegmentFileName(Path.GetFileName(path.AsSpan()), out var baseOffset))
                    {
                        offsets.Add(baseOffset);
                    }
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted while listing: nothing is stored.
            offsets.Clear();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromException<IReadOnlyList<long>>(StorageError($"The listing of '{directory}' failed", e));
        }

        return Task.FromResult<IReadOnlyList<long>>([.. offsets]);
    }

    public Task<VersionedManifest?> ReadManifestAsync(TopicPartition partition, CancellationToken cancellationToken) =>
        ReadManifestFileAsync(partition, cancellationToken);

    public async Task<string> WriteManifestAsync(TopicPartition partition, RemoteManifest manifest, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var path = ManifestPath(partition);
        var gate = _manifestLocks.GetOrAdd(partition, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await ReadManifestFileAsync(partition, cancellationToken).ConfigureAwait(false);
            if (current?.Version != expectedVersion)
            {
                throw new RemoteManifestConflictException(partition, expectedVersion);
            }

            var revision = current is null ? 1 : ParseRevision(current.Version) + 1;
            Directory.CreateDirectory(PartitionDirectory(partition));
            await AtomicFile.WriteAsync(path, RemoteManifestJson.Serialize(manifest, revision), cancellationToken).ConfigureAwait(false);
            return FormatRevision(revision);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageError($"The write of the remote manifest '{path}' failed", e);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task DeletePartitionAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        var directory = PartitionDirectory(partition);
        var gate = _manifestLocks.GetOrAdd(partition, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The topic's directory stays, possibly empty: removing it could race with another
            // partition of the topic creating its directory inside.
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing stored, or deleted already.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageError($"The delete of the remote partition directory '{directory}' failed", e);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<VersionedManifest?> ReadManifestFileAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        var path = ManifestPath(partition);
        byte[] json;
        try
        {
            json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageError($"The read of the remote manifest '{path}' failed", e);
        }

        var manifest = RemoteManifestJson.Deserialize(json, path, out var revision);
        if (revision is not { } counter || counter < 1)
        {
            throw new OrlogException(ErrorCode.KafkaStorageError, $"The remote manifest '{path}' has no valid revision; a local cold tier's manifest always has one. Was it copied from a blob store?");
        }

        return new VersionedManifest(manifest, FormatRevision(counter));
    }

    private static async Task CopyFileAsync(string source, string target, CancellationToken cancellationToken)
    {
        var temp = target + TempSuffix;
        var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (from.ConfigureAwait(false))
        {
            var to = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (to.ConfigureAwait(false))
            {
                await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
                to.Flush(flushToDisk: true);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        File.Move(temp, target, overwrite: true);
    }

    private string PartitionDirectory(TopicPartition partition) => RemoteStorePaths.LocalPath(RootDirectory, RemoteStorePaths.PartitionPrefix(partition));

    private string SegmentPath(RemoteSegmentId id, RemoteFileKind kind) => RemoteStorePaths.LocalPath(RootDirectory, RemoteStorePaths.SegmentFile(id, kind));

    private string ManifestPath(TopicPartition partition) => RemoteStorePaths.LocalPath(RootDirectory, RemoteStorePaths.Manifest(partition));

    private static string FormatRevision(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    private static long ParseRevision(string version) => long.Parse(version, NumberStyles.None, CultureInfo.InvariantCulture);

    private static OrlogException StorageError(string what, Exception e) =>
        new(ErrorCode.KafkaStorageError, $"{what}: {e.Message}", e);
}
