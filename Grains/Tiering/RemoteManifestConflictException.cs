namespace Orlog.Tiering;

/// <summary>A conditional manifest write lost: the manifest changed since it was read. Read it again and redo the change.</summary>
public sealed class RemoteManifestConflictException(TopicPartition partition, string? expectedVersion, Exception? innerException = null)
    : Exception($"The remote manifest of {partition} is no longer at version {expectedVersion ?? "(none)"}; another writer changed it.", innerException)
{
    public TopicPartition Partition { get; } = partition;
}
