using Microsoft.Extensions.Logging;
using Orlog.Log;

namespace Orlog.Tiering;

/// <summary>
/// The remote tier of one partition: its manifest, and the passes that copy closed segments, finish
/// what a crash interrupted, and apply total retention to remote segments.
/// </summary>
/// <remarks>
/// <para>
/// Every change is a small state machine recorded in the manifest before and after the work (Kafka's
/// RemoteLogManager): a copy is written as <see cref="RemoteSegmentState.CopyStarted"/>, uploaded,
/// then marked <see cref="RemoteSegmentState.CopyFinished"/>; a delete is marked
/// <see cref="RemoteSegmentState.DeleteStarted"/>, its files removed, then its entry dropped. Only
/// finished copies are data, so a crash at any step leaves no hole and no duplicate: the next pass
/// redoes a started copy (copies are idempotent) or finishes a started delete, and files no entry
/// names (an upload whose manifest write was lost) are removed as orphans.
/// </para>
/// <para>One pass at a time per partition. Readers take <see cref="Manifest"/>, an immutable snapshot.</para>
/// </remarks>
internal sealed partial class PartitionTiering(
    TopicPartition partition,
    IRemoteSegmentStore store,
    CopyThrottle throttle,
    TieringMetrics? metrics,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private readonly ILogger _logger = logger;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private VersionedManifest? _stored;
    private bool _loaded;

    public TopicPartition Partition => partition;

    /// <summary>The manifest as last read or written (empty before the first pass).</summary>
    public RemoteManifest Manifest => Volatile.Read(ref _stored)?.Manifest ?? RemoteManifest.Empty;

    /// <summary>The last offset of the newest finished copy; -1 when there is none.</summary>
    public long CopiedOffset => LastFinished(Manifest)?.LastOffset ?? -1;

    /// <summary>The first offset the remote tier holds data for, or null when it holds none.</summary>
    public long? LogStartOffset => FirstFinished(Manifest)?.BaseOffset;

    /// <summary>
    /// Reads the manifest from the store again: a broker that starts leading the partition takes over its remote
    /// tier, which the previous leader changed (or this broker never read), and serves reads below its local log from it.
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stored = await store.ReadManifestAsync(partition, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>One pass: load the manifest, finish interrupted work, copy new closed segments, apply total retention, then local retention.</summary>
    public async Task RunAsync(PartitionLog log, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                _stored = await store.ReadManifestAsync(partition, cancellationToken).ConfigureAwait(false);
                _loaded = true;
                await RemoveOrphansAsync(cancellationToken).ConfigureAwait(false);
            }

            log.RemoteCopiedOffset = CopiedOffset;
            await FinishInterruptedAsync(log, cancellationToken).ConfigureAwait(false);
            await CopyClosedSegmentsAsync(log, cancellationToken).ConfigureAwait(false);
            await ApplyRetentionAsync(log, cancellationToken).ConfigureAwait(false);

            // Local copies the local retention no longer needs go now, not at the next retention check.
            log.ApplyRetention();
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task FinishInterruptedAsync(PartitionLog log, CancellationToken cancellationToken)
    {
        foreach (var entry in Manifest.Segments)
        {
            if (entry.State == RemoteSegmentState.DeleteStarted)
            {
                await DeleteAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            else if (entry.State == RemoteSegmentState.CopyStarted)
            {
                var local = log.ClosedSegmentsAfter(entry.BaseOffset - 1).FirstOrDefault(s => s.BaseOffset == entry.BaseOffset);
                if (local is null)
                {
                    // The local segment is gone (deleted records, a truncation): the partial copy is not data.
                    await UpdateAsync(m => Replace(m, entry.BaseOffset, entry with { State = RemoteSegmentState.DeleteStarted }), cancellationToken).ConfigureAwait(false);
                    await DeleteAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    LogCopyResumed(partition, entry.BaseOffset);
                    await CopyAsync(log, local, started: true, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task CopyClosedSegmentsAsync(PartitionLog log, CancellationToken cancellationToken)
    {
        var last = Manifest.Segments.Count > 0 ? Manifest.Segments[^1].LastOffset : -1;
        foreach (var segment in log.ClosedSegmentsAfter(Math.Max(last, log.LogStartOffset - 1)))
        {
            await CopyAsync(log, segment, started: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyAsync(PartitionLog log, ClosedSegment segment, bool started, CancellationToken cancellationToken)
    {
        var entry = new RemoteSegmentEntry(segment.BaseOffset, segment.LastOffset, segment.MaxTimestamp, segment.SizeInBytes, segment.LeaderEpoch, RemoteSegmentState.CopyStarted);
        if (!started)
        {
            await UpdateAsync(m => new RemoteManifest([.. m.Segments, entry]), cancellationToken).ConfigureAwait(false);
        }

        var id = new RemoteSegmentId(partition, segment.BaseOffset);
        var files = new SegmentFilePaths(segment.LogPath, segment.OffsetIndexPath, segment.TimeIndexPath);
        await throttle.RunAsync(segment.SizeInBytes, () => store.CopyAsync(id, files, cancellationToken), cancellationToken).ConfigureAwait(false);
        await UpdateAsync(m => Replace(m, segment.BaseOffset, entry with { State = RemoteSegmentState.CopyFinished }), cancellationToken).ConfigureAwait(false);
        log.RemoteCopiedOffset = Math.Max(log.RemoteCopiedOffset, segment.LastOffset);
        metrics?.Copied(partition.Topic, segment.SizeInBytes);
        LogCopied(partition, segment.BaseOffset, segment.LastOffset, segment.SizeInBytes);
    }

    /// <summary>
    /// Total retention over both tiers: remote segments whose newest record is older than
    /// <c>retention.ms</c>, and the oldest remote-only segments while the whole log is larger than
    /// <c>retention.bytes</c>, are deleted; the log start moves past them.
    /// </summary>
    private async Task ApplyRetentionAsync(PartitionLog log, CancellationToken cancellationToken)
    {
        var config = log.Config;
        var finished = Manifest.Segments.Where(s => s.State == RemoteSegmentState.CopyFinished).ToList();
        var expired = new List<RemoteSegmentEntry>();
        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - config.RetentionMs;
        var localStart = log.LogStartOffset;
        var total = log.Size + finished.Where(s => s.LastOffset < localStart).Sum(s => s.SizeInBytes);
        foreach (var segment in finished)
        {
            var tooOld = config.RetentionMs >= 0 && segment.MaxTimestamp < cutoff;
            var tooBig = config.RetentionBytes >= 0 && segment.LastOffset < localStart && total - segment.SizeInBytes >= config.RetentionBytes;
            if (!tooOld && !tooBig)
            {
                break;
            }

            expired.Add(segment);
            if (segment.LastOffset < localStart)
            {
                total -= segment.SizeInBytes;
            }
        }

        if (expired.Count == 0)
        {
            return;
        }

        await UpdateAsync(
            m =>
            {
                var segments = m.Segments.ToList();
                foreach (var segment in expired)
                {
                    var at = segments.FindIndex(s => s.BaseOffset == segment.BaseOffset);
                    segments[at] = segment with { State = RemoteSegmentState.DeleteStarted };
                }

                return new RemoteManifest(segments);
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var segment in expired)
        {
            await DeleteAsync(segment, cancellationToken).ConfigureAwait(false);
        }

        metrics?.Deleted(partition.Topic, expired.Count);
        LogRetained(partition, expired.Count, LogStartOffset ?? localStart);
    }

    private async Task DeleteAsync(RemoteSegmentEntry entry, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(new RemoteSegmentId(partition, entry.BaseOffset), cancellationToken).ConfigureAwait(false);
        await UpdateAsync(m => new RemoteManifest([.. m.Segments.Where(s => s.BaseOffset != entry.BaseOffset)]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes stored segments that no manifest entry names: uploads whose "copy started" entry was never written.</summary>
    private async Task RemoveOrphansAsync(CancellationToken cancellationToken)
    {
        var named = Manifest.Segments.Select(s => s.BaseOffset).ToHashSet();
        foreach (var baseOffset in await store.ListAsync(partition, cancellationToken).ConfigureAwait(false))
        {
            if (!named.Contains(baseOffset))
            {
                await store.DeleteAsync(new RemoteSegmentId(partition, baseOffset), cancellationToken).ConfigureAwait(false);
                LogOrphanRemoved(partition, baseOffset);
            }
        }
    }

    /// <summary>Applies a change to the manifest with a conditional write; after a conflict, reads it again and reapplies once.</summary>
    private async Task UpdateAsync(Func<RemoteManifest, RemoteManifest> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = _stored;
            var next = change(current?.Manifest ?? RemoteManifest.Empty);
            try
            {
                var version = await store.WriteManifestAsync(partition, next, current?.Version, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _stored, new VersionedManifest(next, version));
                return;
            }
            catch (RemoteManifestConflictException) when (attempt == 0)
            {
                _stored = await store.ReadManifestAsync(partition, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _pass.Dispose();

    private static RemoteManifest Replace(RemoteManifest manifest, long baseOffset, RemoteSegmentEntry entry) =>
        new([.. manifest.Segments.Select(s => s.BaseOffset == baseOffset ? entry : s)]);

    private static RemoteSegmentEntry? FirstFinished(RemoteManifest manifest) =>
        manifest.Segments.FirstOrDefault(s => s.State == RemoteSegmentState.CopyFinished);

    private static RemoteSegmentEntry? LastFinished(RemoteManifest manifest) =>
        manifest.Segments.LastOrDefault(s => s.State == RemoteSegmentState.CopyFinished);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Copied segment {BaseOffset}-{LastOffset} of {Partition} to the remote tier ({Bytes} bytes)")]
    private partial void LogCopied(TopicPartition partition, long baseOffset, long lastOffset, long bytes);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Resuming the interrupted copy of segment {BaseOffset} of {Partition}")]
    private partial void LogCopyResumed(TopicPartition partition, long baseOffset);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Deleted {Count} remote segment(s) of {Partition} by retention; the log now starts at {LogStartOffset}")]
    private partial void LogRetained(TopicPartition partition, int count, long logStartOffset);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Removed orphan remote segment {BaseOffset} of {Partition} (no manifest entry)")]
    private partial void LogOrphanRemoved(TopicPartition partition, long baseOffset);
}
