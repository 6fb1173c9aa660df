using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Orlog.Log;

namespace Orlog.Tiering;

/// <summary>
/// The silo's remote tier: the store, one <see cref="PartitionTiering"/> per tiered partition, and
/// reads below the local log start. The partition grain asks it for the log start and for remote
/// reads; <see cref="TieringService"/> runs the copy passes.
/// </summary>
public sealed class RemoteTier : IDisposable
{
    private readonly IRemoteSegmentStore _store;
    private readonly CopyThrottle _throttle;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<TopicPartition, PartitionTiering> _partitions = new();
    private readonly RemoteLogReader _reader;
    private readonly TieringMetrics? _metrics;

    /// <param name="meters">Where to report metrics; null for none (tests of the tier alone).</param>
    public RemoteTier(IRemoteSegmentStore store, TieringOptions options, TimeProvider time, ILoggerFactory loggers, IMeterFactory? meters = null)
    {
        options.Validate();
        _store = store;
        Options = options;
        _throttle = new CopyThrottle(options, time);
        _time = time;
        _loggers = loggers;
        _metrics = meters is null ? null : new TieringMetrics(meters, RemoteSegmentCounts);
        _reader = new RemoteLogReader(store, options, _metrics, time);
    }

    public TieringOptions Options { get; }

    internal PartitionTiering For(TopicPartition partition) =>
        _partitions.GetOrAdd(partition, p => new PartitionTiering(p, _store, _throttle, _metrics, _time, _loggers.CreateLogger<PartitionTiering>()));

    /// <summary>One tiering pass over a partition's log (copy, finish, retention).</summary>
    public Task RunAsync(TopicPartition partition, PartitionLog log, CancellationToken cancellationToken) =>
        For(partition).RunAsync(log, cancellationToken);

    /// <summary>Reads the partition's remote manifest from the store again, for a broker that starts leading it.</summary>
    public Task ReloadAsync(TopicPartition partition, CancellationToken cancellationToken) =>
        For(partition).ReloadAsync(cancellationToken);

    /// <summary>The first offset of the partition's data in either tier: the remote log start when the remote tier holds data below the local one.</summary>
    public long LogStartOffset(TopicPartition partition, PartitionLog log) =>
        log.Config.RemoteStorageEnable && _partitions.TryGetValue(partition, out var tiering) && tiering.LogStartOffset is { } remote
            ? Math.Min(remote, log.LogStartOffset)
            : log.LogStartOffset;

    /// <summary>Whole batches from <paramref name="offset"/> read from the remote tier, or null when no finished remote segment holds it.</summary>
    public async Task<byte[]?> ReadAsync(TopicPartition partition, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        if (!_partitions.TryGetValue(partition, out var tiering))
        {
            return null;
        }

        foreach (var segment in tiering.Manifest.Segments)
        {
            if (segment.State == RemoteSegmentState.CopyFinished && segment.BaseOffset <= offset && offset <= segment.LastOffset)
            {
                return await _reader.ReadAsync(new RemoteSegmentId(partition, segment.BaseOffset), segment, offset, maxBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>
    /// The first record at or after <paramref name="timestamp"/> in the part of the log that is only
    /// remote (below <paramref name="localStart"/>), or null when it is not there.
    /// </summary>
    public async Task<(long Offset, long Timestamp)?> FindOffsetByTimestampAsync(TopicPartition partition, long timestamp, long localStart, CancellationToken cancellationToken)
    {
        if (!_partitions.TryGetValue(partition, out var tiering))
        {
            return null;
        }

        foreach (var segment in tiering.Manifest.Segments)
        {
            if (segment.State != RemoteSegmentState.CopyFinished || segment.MaxTimestamp < timestamp)
            {
                continue;
            }

            if (segment.BaseOffset >= localStart)
            {
                return null;
            }

            if (await _reader.FindOffsetByTimestampAsync(new RemoteSegmentId(partition, segment.BaseOffset), segment, timestamp, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Forgets a deleted partition and removes what the remote tier holds of it.</summary>
    public async Task DeletePartitionAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        if (_partitions.TryRemove(partition, out var tiering))
        {
            tiering.Dispose();
        }

        await _store.DeletePartitionAsync(partition, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var tiering in _partitions.Values)
        {
            tiering.Dispose();
        }

        _throttle.Dispose();
    }

    private IEnumerable<Measurement<long>> RemoteSegmentCounts()
    {
        foreach (var (partition, tiering) in _partitions)
        {
            yield return new Measurement<long>(
                tiering.Manifest.Segments.Count(s => s.State == RemoteSegmentState.CopyFinished),
                new KeyValuePair<string, object?>("topic", partition.Topic),
                new KeyValuePair<string, object?>("partition", partition.Partition));
        }
    }
}
