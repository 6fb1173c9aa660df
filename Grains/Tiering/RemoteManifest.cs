namespace Orlog.Tiering;

/// <summary>
/// What the remote tier holds of one partition: its segments in offset order, whatever state they
/// are in. Only <see cref="RemoteSegmentState.CopyFinished"/> segments are data; the others are
/// copies or deletes under way (or interrupted by a crash) that the tiering service finishes.
/// </summary>
public sealed record RemoteManifest(IReadOnlyList<RemoteSegmentEntry> Segments)
{
    public static RemoteManifest Empty { get; } = new([]);
}

/// <summary>A manifest with the version it was read at (the blob ETag, or the local file's counter), for a conditional write.</summary>
public sealed record VersionedManifest(RemoteManifest Manifest, string Version);
