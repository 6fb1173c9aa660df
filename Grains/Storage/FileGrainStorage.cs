using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Orlog.Errors;
using Orlog.Log;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Storage;

/// <summary>
/// Grain storage in local files, the embedded default: one file per grain and state name
/// (<see cref="GrainStateFileNames"/>), in the format of <see cref="GrainStateFile"/>, replaced whole
/// by write-then-rename, guarded by an ETag so a conflicting write fails and never overwrites.
/// </summary>
/// <remarks>
/// <para>
/// ETag contract: the ETag is a 64-bit counter written as a decimal string. A missing record has the
/// ETag null, and only a caller holding null may create it. Every write and clear must present the
/// ETag of the stored record, else it throws <see cref="InconsistentStateException"/> and changes
/// nothing. Each write adds one; a record created anew starts at the UTC clock in ticks, so a
/// record deleted and created again does not hand out an ETag its earlier life did (fewer writes
/// than 100 ns ticks pass), unless the clock steps back.
/// </para>
/// <para>
/// Concurrency: check-and-replace of one file is serialized in the process by a striped lock, so
/// of two activations writing with the same ETag exactly one wins. Reads take the lock too, so
/// they never see a file mid-rename on any platform. Nothing guards against a second process: a
/// directory belongs to one silo.
/// </para>
/// <para>
/// Crash safety: a write goes to <c>&lt;file&gt;.tmp</c>, is fsynced, then renamed over the file, so a
/// crash leaves the old state or the new. A stray <c>.tmp</c> is never read and the next write
/// replaces it. .NET cannot fsync a directory, so the rename itself becomes durable when the file
/// system commits its journal (ext4, xfs: within seconds, in order with the data). A damaged file
/// (checksum, length, magic) fails every operation on it loudly with
/// <see cref="ErrorCode.KafkaStorageError"/>: an operator restores or deletes it.
/// </para>
/// </remarks>
public sealed partial class FileGrainStorage : IGrainStorage
{
    private const int LockStripes = 64;

    private readonly string _name;
    private readonly string _rootDirectory;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger<FileGrainStorage> _logger;
    private readonly SemaphoreSlim[] _locks;

    /// <param name="name">The provider's name, for log events.</param>
    /// <param name="options">Validated here; <see cref="FileGrainStorageOptions.GrainStorageSerializer"/> is ignored in favour of <paramref name="serializer"/>.</param>
    /// <param name="serializer">Turns state into the payload of a file and back.</param>
    /// <param name="activatorProvider">Creates the empty state a missing or cleared record reads as.</param>
    /// <param name="logger">Receives one warning per refused (conflicting) write or clear.</param>
    public FileGrainStorage(
        string name,
        FileGrainStorageOptions options,
        IGrainStorageSerializer serializer,
        IActivatorProvider activatorProvider,
        ILogger<FileGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _name = name;
        _rootDirectory = Path.GetFullPath(options.RootDirectory);
        _serializer = serializer;
        _activatorProvider = activatorProvider;
        _logger = logger;
        _locks = new SemaphoreSlim[LockStripes];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new SemaphoreSlim(1, 1);
        }
    }

    /// <summary>The absolute directory holding the state files.</summary>
    public string RootDirectory => _rootDirectory;

    /// <summary>The file holding a grain's state of a name, whether or not it exists.</summary>
    public string GetFilePath(string stateName, GrainId grainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        return Path.Combine(_rootDirectory, GrainStateFileNames.DirectoryName(stateName), GrainStateFileNames.FileName(grainId));
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var path = GetFilePath(stateName, grainId);
        var fileLock = LockOf(path);
        await fileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await ReadFileAsync(path, grainId, cancellationToken).ConfigureAwait(false);
            if (stored is not { } record)
            {
                ResetGrainState(grainState);
                return;
            }

            grainState.State = Deserialize<T>(record.Payload, path) ?? CreateEmptyState<T>();
            grainState.ETag = FormatETag(record.ETag);
            grainState.RecordExists = true;
        }
        finally
        {
            fileLock.Release();
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var path = GetFilePath(stateName, grainId);
        var payload = _serializer.Serialize(grainState.State);
        var fileLock = LockOf(path);
        await fileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await ReadFileAsync(path, grainId, cancellationToken).ConfigureAwait(false);
            EnsureETagMatches("write", stateName, grainId, stored?.ETag, grainState.ETag);
            var etag = stored is { } record ? record.ETag + 1 : NewRecordETag();
            var content = GrainStateFile.Encode(etag, grainId, payload.ToMemory().Span);
            await ReplaceFileAsync(path, content, cancellationToken).ConfigureAwait(false);
            grainState.ETag = FormatETag(etag);
            grainState.RecordExists = true;
        }
        finally
        {
            fileLock.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var path = GetFilePath(stateName, grainId);
        var fileLock = LockOf(path);
        await fileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await ReadFileAsync(path, grainId, cancellationToken).ConfigureAwait(false);
            EnsureETagMatches("clear", stateName, grainId, stored?.ETag, grainState.ETag);
            if (stored is not null)
            {
                File.Delete(path);
            }

            ResetGrainState(grainState);
        }
        finally
        {
            fileLock.Release();
        }
    }

    /// <summary>The file's ETag and payload, or null when there is no file.</summary>
    private static async Task<(long ETag, ReadOnlyMemory<byte> Payload)?> ReadFileAsync(string path, GrainId grainId, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return GrainStateFile.Decode(content, path, grainId);
    }

    private static Task ReplaceFileAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return AtomicFile.WriteAsync(path, content, cancellationToken);
    }

    private void EnsureETagMatches(string operation, string stateName, GrainId grainId, long? storedETag, string? expectedETag)
    {
        var stored = storedETag is { } etag ? FormatETag(etag) : null;
        var expected = string.IsNullOrEmpty(expectedETag) ? null : expectedETag;
        if (string.Equals(stored, expected, StringComparison.Ordinal))
        {
            return;
        }

        LogConflict(operation, stateName, grainId, stored, expected);
        throw new InconsistentStateException(
            $"Refused the {operation} of state '{stateName}' of grain {grainId} in grain storage '{_name}': "
                + $"the stored ETag is {stored ?? "null (no record)"} but the caller holds {expected ?? "null (no record)"}. "
                + "Another activation changed the state since it was read; read it again before writing.",
            stored,
            expected);
    }

    private void ResetGrainState<T>(IGrainState<T> grainState)
    {
        grainState.State = CreateEmptyState<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private T CreateEmptyState<T>() => _activatorProvider.GetActivator<T>().Create();

    private T? Deserialize<T>(ReadOnlyMemory<byte> payload, string path)
    {
        try
        {
            return _serializer.Deserialize<T>(new BinaryData(payload));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new OrlogException(
                ErrorCode.KafkaStorageError,
                $"The grain state file '{path}' is intact but its payload does not deserialize as {typeof(T)}: was the state type changed incompatibly, or the serializer?",
                e);
        }
    }

    private SemaphoreSlim LockOf(string path) =>
        _locks[(uint)StringComparer.Ordinal.GetHashCode(path) % (uint)_locks.Length];

    private static long NewRecordETag() => Math.Max(1, DateTime.UtcNow.Ticks);

    private static string FormatETag(long etag) => etag.ToString(CultureInfo.InvariantCulture);
}
