namespace Orlog.Tiering;

/// <summary>
/// The remote tier of the log: closed segments (their <c>.log</c>, <c>.index</c> and <c>.timeindex</c>
/// files) and one manifest per partition, stored as
/// <c>&lt;topic&gt;/&lt;partition&gt;/&lt;baseOffset, 20 digits&gt;.{log,index,timeindex}</c> and
/// <c>&lt;topic&gt;/&lt;partition&gt;/manifest.json</c>. Implementations: a local directory (the
/// embedded default's cold tier) and Azure Blob Storage.
/// </summary>
/// <remarks>
/// Copies and deletes are idempotent, so an interrupted one is simply done again. The manifest is
/// written only conditionally (<see cref="WriteManifestAsync"/>): of two writers from the same read,
/// one wins and the other gets <see cref="RemoteManifestConflictException"/>. Transport failures
/// are <see cref="Errors.OrlogException"/> with KAFKA_STORAGE_ERROR (retriable).
/// </remarks>
public interface IRemoteSegmentStore
{
    /// <summary>Copies a closed segment's three files, replacing any earlier (partial) copy.</summary>
    Task CopyAsync(RemoteSegmentId id, SegmentFilePaths files, CancellationToken cancellationToken);

    /// <summary>Reads from one remote file at <paramref name="position"/> into <paramref name="buffer"/>; returns how many bytes were read (fewer at the end of the file, 0 past it).</summary>
    /// <exception cref="Errors.OrlogException">KAFKA_STORAGE_ERROR, also when the file does not exist.</exception>
    Task<int> ReadAsync(RemoteSegmentId id, RemoteFileKind kind, long position, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Deletes a segment's files; files already gone are fine.</summary>
    Task DeleteAsync(RemoteSegmentId id, CancellationToken cancellationToken);

    /// <summary>The base offsets of the segments of a partition with at least one file stored, ascending (finds orphans).</summary>
    Task<IReadOnlyList<long>> ListAsync(TopicPartition partition, CancellationToken cancellationToken);

    /// <summary>The partition's manifest and its version; null when there is none.</summary>
    Task<VersionedManifest?> ReadManifestAsync(TopicPartition partition, CancellationToken cancellationToken);

    /// <summary>Writes the manifest if the stored one is still at <paramref name="expectedVersion"/> (null: none may exist yet); returns the new version.</summary>
    /// <exception cref="RemoteManifestConflictException">Another writer changed (or created) it since.</exception>
    Task<string> WriteManifestAsync(TopicPartition partition, RemoteManifest manifest, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes everything stored for a partition, the manifest included (the topic was deleted).</summary>
    Task DeletePartitionAsync(TopicPartition partition, CancellationToken cancellationToken);
}
