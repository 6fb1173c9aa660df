using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Storage.AzureBlob;

/// <summary>
/// Grain storage in Azure Blob Storage: one block blob per grain and state name, named as the file
/// provider names its files (<c>&lt;state&gt;/&lt;grain type&gt;+&lt;grain key&gt;.state</c>), holding the
/// serialized state; the blob's ETag is the grain state's ETag.
/// </summary>
/// <remarks>
/// Every write is conditional, so a conflicting write fails with
/// <see cref="InconsistentStateException"/> and never overwrites: a caller without an ETag creates
/// the blob with <c>If-None-Match: *</c>, a caller with one replaces it with <c>If-Match</c>; a clear
/// deletes with <c>If-Match</c>. Azure changes the ETag on every write, so ETags are never reused.
/// The state is serialized before the first await, so a grain may change it while the write is on
/// the wire. Transport failures surface as <see cref="ErrorCode.KafkaStorageError"/>.
/// </remarks>
public sealed partial class AzureBlobGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly BlobContainerClient _container;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger _logger;
    private Task? _containerCreated;

    public AzureBlobGrainStorage(
        string name,
        BlobContainerClient container,
        IGrainStorageSerializer serializer,
        IActivatorProvider activatorProvider,
        ILogger<AzureBlobGrainStorage> logger)
    {
        _name = name;
        _container = container;
        _serializer = serializer;
        _activatorProvider = activatorProvider;
        _logger = logger;
    }

    /// <summary>The blob holding a grain's state of a name, whether or not it exists.</summary>
    public static string BlobName(string stateName, GrainId grainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        return $"{GrainStateFileNames.DirectoryName(stateName)}/{GrainStateFileNames.FileName(grainId)}";
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var blob = _container.GetBlobClient(BlobName(stateName, grainId));
        try
        {
            await EnsureContainerAsync().ConfigureAwait(false);
            var download = await blob.DownloadContentAsync().ConfigureAwait(false);
            grainState.State = Deserialize<T>(download.Value.Content, blob.Name);
            grainState.ETag = download.Value.Details.ETag.ToString();
            grainState.RecordExists = true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            Reset(grainState);
        }
        catch (RequestFailedException e)
        {
            throw StorageError("read", blob.Name, e);
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var blob = _container.GetBlobClient(BlobName(stateName, grainId));
        var payload = _serializer.Serialize(grainState.State);
        var expected = string.IsNullOrEmpty(grainState.ETag) ? null : grainState.ETag;
        var conditions = expected is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(expected) };
        try
        {
            await EnsureContainerAsync().ConfigureAwait(false);
            var uploaded = await blob.UploadAsync(payload, new BlobUploadOptions { Conditions = conditions }).ConfigureAwait(false);
            grainState.ETag = uploaded.Value.ETag.ToString();
            grainState.RecordExists = true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw await ConflictAsync(blob, "write", stateName, grainId, expected).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw StorageError("write", blob.Name, e);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var blob = _container.GetBlobClient(BlobName(stateName, grainId));
        var expected = string.IsNullOrEmpty(grainState.ETag) ? null : grainState.ETag;
        try
        {
            await EnsureContainerAsync().ConfigureAwait(false);
            if (expected is null)
            {
                // Nothing to delete as far as the caller knows: fine only if there is indeed no blob.
                if (await blob.ExistsAsync().ConfigureAwait(false))
                {
                    throw await ConflictAsync(blob, "clear", stateName, grainId, expected).ConfigureAwait(false);
                }
            }
            else
            {
                await blob.DeleteAsync(conditions: new BlobRequestConditions { IfMatch = new ETag(expected) }).ConfigureAwait(false);
            }

            Reset(grainState);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw await ConflictAsync(blob, "clear", stateName, grainId, expected).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw StorageError("clear", blob.Name, e);
        }
    }

    /// <summary>Creates the container once; a failed attempt (the service unreachable) is made again by the next call.</summary>
    private Task EnsureContainerAsync()
    {
        var created = Volatile.Read(ref _containerCreated);
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            created = _container.CreateIfNotExistsAsync();
            Volatile.Write(ref _containerCreated, created);
        }

        return created;
    }

    /// <summary>The refusal of a conflicting write or clear, naming the stored ETag as the file provider does (looked up; null when there is no blob).</summary>
    private async Task<InconsistentStateException> ConflictAsync(BlobClient blob, string operation, string stateName, GrainId grainId, string? expected)
    {
        string? stored;
        try
        {
            stored = (await blob.GetPropertiesAsync().ConfigureAwait(false)).Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            stored = null;
        }

        LogConflict(operation, stateName, grainId, expected);
        return new InconsistentStateException(
            $"Refused the {operation} of state '{stateName}' of grain {grainId} in grain storage '{_name}': "
                + $"the stored ETag is {stored ?? "null (no record)"} but the caller holds {expected ?? "null (no record)"}. "
                + "Another activation changed the state since it was read; read it again before writing.",
            stored,
            expected);
    }

    private static OrlogException StorageError(string operation, string blobName, RequestFailedException e) =>
        new(ErrorCode.KafkaStorageError, $"The {operation} of blob '{blobName}' failed ({e.Status} {e.ErrorCode}): {e.Message}", e);

    private void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = _activatorProvider.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private T Deserialize<T>(BinaryData payload, string blobName)
    {
        try
        {
            return _serializer.Deserialize<T>(payload) ?? _activatorProvider.GetActivator<T>().Create();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new OrlogException(
                ErrorCode.KafkaStorageError,
                $"The grain state blob '{blobName}' does not deserialize as {typeof(T)}: was the state type changed incompatibly, or the serializer?",
                e);
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Refused a conflicting {Operation} of state {StateName} of grain {GrainId}: the caller's ETag {Expected} is stale")]
    private partial void LogConflict(string operation, string stateName, GrainId grainId, string? expected);
}
