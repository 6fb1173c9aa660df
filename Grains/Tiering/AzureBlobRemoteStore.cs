using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orlog.Errors;

namespace Orlog.Tiering;

/// <summary>
/// The remote tier in Azure Blob Storage: one block blob per segment file and one per partition
/// manifest, named by <see cref="RemoteStorePaths"/> in one container (created when missing, on
/// first use).
/// </summary>
/// <remarks>
/// <para>
/// A copy uploads each file whole, overwriting (a block blob appears only when its upload commits,
/// so there is never part of a file under its name). Reads are ranged downloads. The manifest's
/// version is its blob's ETag: a first write is <c>If-None-Match: *</c>, a later one <c>If-Match</c>,
/// and Azure changes the ETag on every write, so a version is never reused.
/// </para>
/// <para>
/// Failures: the client retries twice, shortly, and gives up on a connection after
/// <see cref="NetworkTimeout"/>, so a dead endpoint fails in seconds rather than stalling the
/// tiering service; what still fails is <see cref="ErrorCode.KafkaStorageError"/>, retriable by the
/// caller. A conditional write retried after a lost response can report a conflict for a write that
/// in fact landed; the caller re-reads and finds its own change, which its redo must tolerate.
/// </para>
/// </remarks>
public sealed class AzureBlobRemoteStore : IRemoteSegmentStore
{
    /// <summary>How long a request may wait on the network before it is retried or fails.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    private const int MaxRetries = 2;
    private const int DeleteConcurrency = 16;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(2);

    private readonly BlobContainerClient _container;
    private readonly StorageTransferOptions _transferOptions;
    private readonly Lock _containerLock = new();
    private Task? _containerCreated;

    /// <summary>A store reaching the container the options name, with <see cref="ClientOptions"/>.</summary>
    public AzureBlobRemoteStore(AzureBlobRemoteStoreOptions options)
        : this(ContainerClient(options), options)
    {
    }

    /// <summary>A store over a container client configured by the caller; only the upload settings of <paramref name="options"/> are used.</summary>
    public AzureBlobRemoteStore(BlobContainerClient container, AzureBlobRemoteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(options);
        _container = container;
        _transferOptions = options.TransferOptions;
    }

    /// <summary>The container the options name, reached with their credentials and <see cref="ClientOptions"/>.</summary>
    public static BlobContainerClient ContainerClient(AzureBlobRemoteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CreateContainerClient(ClientOptions());
    }

    /// <summary>Client settings that fail fast: two retries a fraction of a second apart, <see cref="NetworkTimeout"/> per try.</summary>
    public static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = RetryDelay;
        options.Retry.MaxDelay = RetryMaxDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }

    public async Task CopyAsync(RemoteSegmentId id, SegmentFilePaths files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var kind in RemoteStorePaths.FileKinds)
        {
            var name = RemoteStorePaths.SegmentFile(id, kind);
            try
            {
                await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
                await _container.GetBlobClient(name)
                    .UploadAsync(RemoteStorePaths.SourcePath(files, kind), new BlobUploadOptions { TransferOptions = _transferOptions }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (IsStorageFailure(e, cancellationToken))
            {
                throw StorageError($"The upload of segment {id} to blob '{name}'", e);
            }
        }
    }

    public async Task<int> ReadAsync(RemoteSegmentId id, RemoteFileKind kind, long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var name = RemoteStorePaths.SegmentFile(id, kind);
        var blob = _container.GetBlobClient(name);
        try
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            if (buffer.IsEmpty)
            {
                // A range cannot be empty; still, a missing file must fail as it would otherwise.
                await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return 0;
            }

            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(position, buffer.Length) }, cancellationToken)
                .ConfigureAwait(false);
            using var result = download.Value;
            var content = result.Content;
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await content.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // The range starts at or past the end of the blob.
            return 0;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new OrlogException(
                ErrorCode.KafkaStorageError,
                $"The remote segment blob '{name}' does not exist (segment {id} was never copied, or was deleted): {e.ErrorCode}",
                e);
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            throw StorageError($"The read of blob '{name}' at {position}", e);
        }
    }

    public async Task DeleteAsync(RemoteSegmentId id, CancellationToken cancellationToken)
    {
        foreach (var kind in RemoteStorePaths.FileKinds)
        {
            await DeleteBlobAsync(RemoteStorePaths.SegmentFile(id, kind), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<long>> ListAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        var prefix = RemoteStorePaths.PartitionPrefix(partition);
        var offsets = new SortedSet<long>();
        foreach (var name in await ListNamesAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (RemoteStorePaths.TryParseSegmentFileName(name.AsSpan(prefix.Length), out var baseOffset))
            {
                offsets.Add(baseOffset);
            }
        }

        return [.. offsets];
    }

    public async Task<VersionedManifest?> ReadManifestAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        var name = RemoteStorePaths.Manifest(partition);
        BlobDownloadResult download;
        try
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            download = (await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            throw StorageError($"The read of the remote manifest blob '{name}'", e);
        }

        var manifest = RemoteManifestJson.Deserialize(download.Content.ToMemory().Span, name);
        return new VersionedManifest(manifest, download.Details.ETag.ToString());
    }

    public async Task<string> WriteManifestAsync(TopicPartition partition, RemoteManifest manifest, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var name = RemoteStorePaths.Manifest(partition);
        var upload = new BlobUploadOptions
        {
            Conditions = expectedVersion is null
                ? new BlobRequestConditions { IfNoneMatch = ETag.All }
                : new BlobRequestConditions { IfMatch = new ETag(expectedVersion) },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        };
        try
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            var uploaded = await _container.GetBlobClient(name)
                .UploadAsync(BinaryData.FromBytes(RemoteManifestJson.Serialize(manifest)), upload, cancellationToken)
                .ConfigureAwait(false);
            return uploaded.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 || (e.Status == 404 && expectedVersion is not null && e.ErrorCode != BlobErrorCode.ContainerNotFound))
        {
            // 409/412: the blob exists although none was expected, or has another ETag; 404 with an
            // expected version: it was deleted since.
            throw new RemoteManifestConflictException(partition, expectedVersion, e);
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            throw StorageError($"The write of the remote manifest blob '{name}'", e);
        }
    }

    public async Task DeletePartitionAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        var prefix = RemoteStorePaths.PartitionPrefix(partition);
        var manifest = RemoteStorePaths.Manifest(partition);
        var names = await ListNamesAsync(prefix, cancellationToken).ConfigureAwait(false);

        // The manifest last: a delete interrupted before it is still found, and done again, by
        // whoever looks for the partition's manifest.
        await Parallel.ForEachAsync(
            names.Where(name => name != manifest),
            new ParallelOptions { MaxDegreeOfParallelism = DeleteConcurrency, CancellationToken = cancellationToken },
            async (name, token) => await DeleteBlobAsync(name, token).ConfigureAwait(false)).ConfigureAwait(false);
        await DeleteBlobAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<string>> ListNamesAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
            {
                names.Add(item.Name);
            }
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            throw StorageError($"The listing of blobs under '{prefix}'", e);
        }

        return names;
    }

    private async Task DeleteBlobAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            await _container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            throw StorageError($"The delete of blob '{name}'", e);
        }
    }

    /// <summary>
    /// Creates the container once per store. A failed attempt (the endpoint was down) is not
    /// remembered: the next call tries again. The attempt is shared, so it is not cancelled by one
    /// caller giving up; each caller stops waiting on its own token.
    /// </summary>
    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        Task created;
        lock (_containerLock)
        {
            if (_containerCreated is null || _containerCreated.IsFaulted || _containerCreated.IsCanceled)
            {
                _containerCreated = _container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            }

            created = _containerCreated;
        }

        return created.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// What the SDK and the network throw when storage cannot be reached or refuses: a
    /// <see cref="RequestFailedException"/> (status 0 when no response came), an
    /// <see cref="AggregateException"/> of them when the retries ran out, a socket or stream error,
    /// a credential that cannot get a token, or a network timeout (a cancellation nobody asked for).
    /// </summary>
    private static bool IsStorageFailure(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or AggregateException or HttpRequestException or IOException or UnauthorizedAccessException or AuthenticationFailedException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static OrlogException StorageError(string what, Exception e) => e switch
    {
        RequestFailedException { Status: > 0 } failed => new(ErrorCode.KafkaStorageError, $"{what} failed ({failed.Status} {failed.ErrorCode}): {e.Message}", e),
        _ => new(ErrorCode.KafkaStorageError, $"{what} failed: {e.Message}", e),
    };
}
