namespace Orlog.Tiering;

/// <summary>
/// A remote store whose reads can be held at a gate (a slow remote tier): while <see cref="Gate"/> is
/// shut, every read signals <see cref="ReadWaiting"/> and waits. The silos of a test cluster run in the
/// test's process, so the test and the silo's store share the gate.
/// </summary>
internal sealed class GatedRemoteStore(IRemoteSegmentStore inner) : IRemoteSegmentStore
{
    public static TaskCompletionSource Gate { get; set; } = Open();

    public static TaskCompletionSource ReadWaiting { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public async Task<int> ReadAsync(RemoteSegmentId id, RemoteFileKind kind, long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!Gate.Task.IsCompleted)
        {
            ReadWaiting.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
        }

        return await inner.ReadAsync(id, kind, position, buffer, cancellationToken);
    }

    public Task CopyAsync(RemoteSegmentId id, SegmentFilePaths files, CancellationToken cancellationToken) => inner.CopyAsync(id, files, cancellationToken);

    public Task DeleteAsync(RemoteSegmentId id, CancellationToken cancellationToken) => inner.DeleteAsync(id, cancellationToken);

    public Task<IReadOnlyList<long>> ListAsync(TopicPartition partition, CancellationToken cancellationToken) => inner.ListAsync(partition, cancellationToken);

    public Task<VersionedManifest?> ReadManifestAsync(TopicPartition partition, CancellationToken cancellationToken) => inner.ReadManifestAsync(partition, cancellationToken);

    public Task<string> WriteManifestAsync(TopicPartition partition, RemoteManifest manifest, string? expectedVersion, CancellationToken cancellationToken) =>
        inner.WriteManifestAsync(partition, manifest, expectedVersion, cancellationToken);

    public Task DeletePartitionAsync(TopicPartition partition, CancellationToken cancellationToken) => inner.DeletePartitionAsync(partition, cancellationToken);
}
