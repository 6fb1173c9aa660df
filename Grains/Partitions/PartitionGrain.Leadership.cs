using Microsoft.Extensions.Logging;
using Orleans;
using Orlog.Cluster;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Replication;
using Orlog.Topics;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Partitions;

/// <summary>Leading: the controller's leadership, the ISR, the high watermark and the produces waiting on it.</summary>
public sealed partial class PartitionGrain
{
    /// <summary>The leadership this broker leads under; null while it does not lead (or for a topic without a controller entry, served as one replica).</summary>
    private PartitionLeadership? _leadership;
    private ReplicationConfig _replication = new(1, false);
    private readonly Dictionary<int, FollowerProgress> _followers = [];
    private IGrainTimer? _isrTimer;
    private long _epochStartOffset;

    /// <summary>
    /// The ISR the leader asked the controller for, while it waits for the answer (null otherwise). The high
    /// watermark counts its new members already (Kafka's maximal ISR, KIP-497): a follower that joins must have a
    /// record before it is acknowledged, because once in the ISR it may lead — the preferred leader does at once.
    /// </summary>
    private int[]? _proposedIsr;

    /// <summary>Completed (and replaced) when the high watermark moves or leadership ends, for the produces waiting on replicas.</summary>
    private TaskCompletionSource? _highWatermarkMoved;

    /// <summary>How long a produce waits on replicas before its leader asks the controller whether the ISR changed.</summary>
    private static readonly TimeSpan LeadershipRecheck = TimeSpan.FromSeconds(1);

    private IControllerGrain Controller => GrainFactory.GetGrain<IControllerGrain>(IControllerGrain.Key);

    public async Task LeadershipChangedAsync(PartitionLeadership leadership)
    {
        if (_leadership is { } current)
        {
            if (leadership.Version <= current.Version)
            {
                return;
            }

            if (leadership.Leader == broker.BrokerId && leadership.LeaderEpoch == current.LeaderEpoch)
            {
                _leadership = leadership;
                FollowReplicas(leadership, _log!);
                AdvanceHighWatermark(_log!);
                return;
            }
        }

        if (_log is not null)
        {
            Resign(leadership);
        }

        if (leadership.Leader == broker.BrokerId)
        {
            await OpenLogAsync();
        }
    }

    /// <summary>
    /// Asks the controller who leads. The placement puts the grain elsewhere than the leader's broker only
    /// while that broker is down (or just joining) or the partition is offline: calls then fail with
    /// LEADER_NOT_AVAILABLE. Once the leader's broker is live the grain migrates to it (Orleans' migration moves
    /// the directory entry, so no caller keeps reaching this silo) and the call fails with the retriable
    /// NOT_LEADER_OR_FOLLOWER. A partition the controller does not know (made before the cluster had a
    /// controller) is served here as its only replica.
    /// </summary>
    private async Task<PartitionLeadership?> EnsureLeaderHereAsync()
    {
        var leadership = await Controller.LeadershipAsync(_partition);
        if (leadership is null || leadership.Leader == broker.BrokerId)
        {
            return leadership;
        }

        if (leadership.Leader >= 0 && liveBrokers.SiloOf(leadership.Leader) is not null)
        {
            MigrateOnIdle();
            throw new OrlogException(ErrorCode.NotLeaderOrFollower, $"Partition {_partition} is led by broker {leadership.Leader}, not broker {broker.BrokerId}; it is moving there, retry.");
        }

        throw new OrlogException(ErrorCode.LeaderNotAvailable, leadership.Leader < 0
            ? $"Partition {_partition} is offline: none of its in-sync replicas [{string.Join(',', leadership.Isr)}] is live."
            : $"Partition {_partition} is offline: its leader, broker {leadership.Leader}, is not reachable from broker {broker.BrokerId} (down, or still joining the cluster).");
    }

    /// <summary>Starts leading with <paramref name="log"/>: the epoch begins at the log end and each follower gets a replication loop.</summary>
    private void StartLeading(PartitionLog log, PartitionLeadership? leadership)
    {
        _leadership = leadership;
        if (leadership is null)
        {
            log.HighWatermark = log.LogEndOffset;
            return;
        }

        log.BeginEpoch(leadership.LeaderEpoch);
        _epochStartOffset = log.LogEndOffset;
        FollowReplicas(leadership, log);
        AdvanceHighWatermark(log);
        var isr = string.Join(',', leadership.Isr);
        LogLeading(_partition, leadership.LeaderEpoch, isr, log.LogEndOffset, log.HighWatermark);
    }

    /// <summary>
    /// Starts a replication loop for each follower replica that has none, and stops those of brokers no longer
    /// replicas (a reassignment added or removed them); the ISR checks run while there is any follower.
    /// </summary>
    private void FollowReplicas(PartitionLeadership leadership, PartitionLog log)
    {
        foreach (var (replica, follower) in _followers)
        {
            if (Array.IndexOf(leadership.Replicas, replica) < 0)
            {
                follower.Stopped = true;
                _followers.Remove(replica);
                WakeReplicators();
            }
        }

        var now = time.GetTimestamp();
        foreach (var replica in leadership.Replicas)
        {
            if (replica != broker.BrokerId && !_followers.ContainsKey(replica))
            {
                var follower = _followers[replica] = new FollowerProgress(replica, now);
                _ = ReplicateAsync(follower, log, leadership.LeaderEpoch);
            }
        }

        if (_followers.Count > 0 && _isrTimer is null)
        {
            var period = _options.ReplicaLagTimeMax / 4;
            _isrTimer = this.RegisterGrainTimer(CheckIsrAsync, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
        }
    }

    /// <summary>Stops the replication loops and the ISR checks; produces waiting on replicas fail with NOT_LEADER_OR_FOLLOWER.</summary>
    private void StopLeading()
    {
        foreach (var follower in _followers.Values)
        {
            follower.Stopped = true;
        }

        _isrTimer?.Dispose();
        _isrTimer = null;
        _followers.Clear();
        _leadership = null;
        WakeHighWatermarkWaiters();
        WakeReplicators();
    }

    /// <summary>Another broker leads now (or none): stop, and let callers find the new leader.</summary>
    private void Resign(PartitionLeadership next)
    {
        var epoch = _leadership?.LeaderEpoch ?? 0;
        StopLeading();
        _log = null;
        WakeFetchers();
        LogResigned(_partition, epoch, next.Leader, next.LeaderEpoch);
        if (next.Leader != broker.BrokerId && next.Leader >= 0 && liveBrokers.SiloOf(next.Leader) is not null)
        {
            MigrateOnIdle();
        }
    }

    /// <summary>After an append: a single in-sync replica moves the high watermark at once; followers get the new batches.</summary>
    private void OnAppended(PartitionLog log)
    {
        AdvanceHighWatermark(log);
        WakeReplicators();
    }

    /// <summary>
    /// Moves the high watermark to the smallest log end among the in-sync replicas and any joining the ISR now
    /// (never back), waking fetches and produces.
    /// </summary>
    private void AdvanceHighWatermark(PartitionLog log)
    {
        var highWatermark = log.LogEndOffset;
        if (_leadership is { } leadership)
        {
            foreach (var follower in _followers.Values)
            {
                var counts = leadership.InSync(follower.Broker) || (_proposedIsr is { } proposed && Array.IndexOf(proposed, follower.Broker) >= 0);
                if (!counts)
                {
                    continue;
                }

                if (follower.EndOffset < 0)
                {
                    return;
                }

                highWatermark = Math.Min(highWatermark, follower.EndOffset);
            }
        }

        if (highWatermark > log.HighWatermark)
        {
            log.HighWatermark = highWatermark;
            WakeFetchers();
            WakeHighWatermarkWaiters();
        }
    }

    /// <summary>
    /// Waits until every in-sync replica holds <paramref name="lastOffset"/>; NOT_LEADER_OR_FOLLOWER if leadership ends first.
    /// Every <see cref="LeadershipRecheck"/> of waiting it asks the controller for the leadership itself, rather than only
    /// waiting to be told: an activation Orleans is deactivating (its directory entry was on a silo that died) takes no
    /// more calls, so the ISR change that would release this produce could not reach it, and it could not finish deactivating.
    /// </summary>
    private async Task WaitForHighWatermarkAsync(PartitionLog log, long lastOffset)
    {
        var epoch = _leadership?.LeaderEpoch;
        while (log.HighWatermark <= lastOffset)
        {
            if (!ReferenceEquals(_log, log) || _leadership?.LeaderEpoch != epoch)
            {
                throw new OrlogException(ErrorCode.NotLeaderOrFollower, $"Broker {broker.BrokerId} stopped leading {_partition} before the replicas had offset {lastOffset}; retry with the new leader.");
            }

            _highWatermarkMoved ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await _highWatermarkMoved.Task.WaitAsync(LeadershipRecheck, time);
            }
            catch (TimeoutException)
            {
                await TryRefreshLeadershipAsync();
            }
        }
    }

    private void WakeHighWatermarkWaiters()
    {
        if (_highWatermarkMoved is { } moved)
        {
            _highWatermarkMoved = null;
            moved.TrySetResult();
        }
    }

    private void EnsureEnoughInSync(PartitionLeadership? leadership, ErrorCode code, string outcome)
    {
        if (leadership is not null && leadership.Isr.Length < _replication.MinInSyncReplicas)
        {
            throw new OrlogException(code, $"Partition {_partition} has {leadership.Isr.Length} in-sync replica(s) [{string.Join(',', leadership.Isr)}]; min.insync.replicas is {_replication.MinInSyncReplicas}: {outcome}.");
        }
    }

    private Task CheckIsrAsync(CancellationToken cancellationToken) => MaybeAlterIsrAsync();

    /// <summary>
    /// Followers not caught up with the log end for <c>replica.lag.time.max.ms</c> leave the ISR; followers out
    /// of it that reached the high watermark (and this epoch's start) join it. The controller decides.
    /// </summary>
    private async Task MaybeAlterIsrAsync()
    {
        if (_leadership is not { } leadership || _log is not { } log || _proposedIsr is not null)
        {
            return;
        }

        // Checked after every push: nothing is allocated unless the ISR changes.
        var now = time.GetTimestamp();
        var changed = false;
        foreach (var replica in leadership.Replicas)
        {
            if (replica != broker.BrokerId)
            {
                changed |= BelongsInIsr(leadership, _followers[replica], log, now) != leadership.InSync(replica);
            }
        }

        if (!changed)
        {
            return;
        }

        _proposedIsr = Array.FindAll(leadership.Replicas, r => r == broker.BrokerId || BelongsInIsr(leadership, _followers[r], log, now));
        try
        {
            await LeadershipChangedAsync(await Controller.AlterIsrAsync(_partition, leadership.LeaderEpoch, leadership.Version, _proposedIsr));
        }
        catch (OrlogException error) when (error.Code == ErrorCode.FencedLeaderEpoch)
        {
            await RefreshLeadershipAsync();
        }
        catch (Exception error)
        {
            LogAlterIsrFailed(_partition, error);
        }
        finally
        {
            _proposedIsr = null;
        }
    }

    /// <summary>
    /// Whether <paramref name="follower"/> belongs in the ISR now: an in-sync one while it caught up with the log end
    /// within the lag time, an out-of-sync one once it holds the high watermark and this epoch's start.
    /// </summary>
    private bool BelongsInIsr(PartitionLeadership leadership, FollowerProgress follower, PartitionLog log, long now)
    {
        if (follower.EndOffset >= log.LogEndOffset)
        {
            follower.CaughtUpAt = now;
        }

        return leadership.InSync(follower.Broker)
            ? time.GetElapsedTime(follower.CaughtUpAt) <= _options.ReplicaLagTimeMax
            : follower.EndOffset >= log.HighWatermark && follower.EndOffset >= _epochStartOffset;
    }

    private async Task TryRefreshLeadershipAsync()
    {
        try
        {
            await RefreshLeadershipAsync();
        }
        catch (Exception)
        {
            // The controller is moving (its silo died): the next recheck asks again.
        }
    }

    /// <summary>A follower or the controller said another leader took over: take the controller's word for it.</summary>
    private async Task RefreshLeadershipAsync()
    {
        if (await Controller.LeadershipAsync(_partition) is { } leadership)
        {
            await LeadershipChangedAsync(leadership);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Leading {Partition} at epoch {LeaderEpoch} with ISR [{Isr}]; log end {LogEndOffset}, high watermark {HighWatermark}")]
    private partial void LogLeading(TopicPartition partition, int leaderEpoch, string isr, long logEndOffset, long highWatermark);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Stopped leading {Partition} at epoch {LeaderEpoch}: broker {NewLeader} leads at epoch {NewEpoch} (-1: offline)")]
    private partial void LogResigned(TopicPartition partition, int leaderEpoch, int newLeader, int newEpoch);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Partition {Partition}: changing the ISR failed; trying again at the next check")]
    private partial void LogAlterIsrFailed(TopicPartition partition, Exception error);
}
