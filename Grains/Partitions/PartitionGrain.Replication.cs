using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Replication;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Partitions;

/// <summary>Pushing the log to the followers: one loop per follower, one push in flight each.</summary>
public sealed partial class PartitionGrain
{
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Completed (and replaced) when the log grows, for the replication loops that are caught up.</summary>
    private TaskCompletionSource? _logGrew;

    /// <summary>
    /// Keeps <paramref name="follower"/> up with the log: has it follow this epoch (it truncates to where it
    /// agrees), then pushes what it lacks, as much as one push carries, each push once the one before is
    /// answered — so pushes batch whatever arrived meanwhile. A follower that cannot be reached is tried again
    /// with backoff; one that names a newer leader ends the loop and this broker's leadership.
    /// </summary>
    private async Task ReplicateAsync(FollowerProgress follower, PartitionLog log, int epoch)
    {
        var grain = GrainFactory.GetGrain<IFollowerGrain>(FollowerKey.Format(_partition, follower.Broker));
        var backoff = _options.RetryBackoff;
        var retryAfter = TimeSpan.Zero;
        while (!follower.Stopped)
        {
            try
            {
                if (retryAfter > TimeSpan.Zero)
                {
                    await Task.Delay(retryAfter, time);
                    retryAfter = TimeSpan.Zero;
                }

                if (follower.EndOffset < 0)
                {
                    follower.EndOffset = await grain.FollowAsync(new FollowRequest(broker.BrokerId, epoch, EpochsOf(log), log.LogStartOffset, log.LogEndOffset));
                }
                else if (follower.EndOffset >= log.LogEndOffset)
                {
                    await LogGrewAsync();
                    continue;
                }
                else
                {
                    var readAt = time.GetTimestamp();
                    var end = log.LogEndOffset;
                    var records = ToArray(log.Read(follower.EndOffset, _options.MaxPushBytes).Records);
                    var push = new ReplicaPush(epoch, log.HighWatermark, log.LogStartOffset, log.RemoteCopiedOffset);
                    follower.EndOffset = await grain.AppendAsync(push, new Immutable<byte[]>(records));
                    if (follower.EndOffset >= end)
                    {
                        follower.CaughtUpAt = readAt;
                    }
                }

                if (follower.Stopped)
                {
                    return;
                }

                if (follower.Unreachable)
                {
                    follower.Unreachable = false;
                    LogFollowerBack(_partition, follower.Broker, follower.EndOffset);
                }

                backoff = _options.RetryBackoff;
                AdvanceHighWatermark(log);
                await MaybeAlterIsrAsync();
            }
            catch (OrlogException error) when (error.Code == ErrorCode.FencedLeaderEpoch && !follower.Stopped)
            {
                await RefreshLeadershipAsync();
                return;
            }
            catch (Exception error) when (error is OffsetOutOfRangeException || (error is OrlogException { Code: ErrorCode.UnknownLeaderEpoch }))
            {
                follower.EndOffset = -1;
            }
            catch (Exception error) when (!follower.Stopped)
            {
                follower.EndOffset = -1;
                if (!follower.Unreachable)
                {
                    follower.Unreachable = true;
                    LogFollowerUnreachable(_partition, follower.Broker, error);
                }

                retryAfter = backoff;
                backoff = backoff * 2 < MaxRetryBackoff ? backoff * 2 : MaxRetryBackoff;
            }
        }
    }

    private Task LogGrewAsync() =>
        (_logGrew ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes the replication loops waiting for data (after an append, or when leadership ends).</summary>
    private void WakeReplicators()
    {
        if (_logGrew is { } grew)
        {
            _logGrew = null;
            grew.TrySetResult();
        }
    }

    private static (int Epoch, long StartOffset)[] EpochsOf(PartitionLog log)
    {
        var entries = log.LeaderEpochs;
        var epochs = new (int, long)[entries.Count];
        for (var i = 0; i < epochs.Length; i++)
        {
            epochs[i] = (entries[i].Epoch, entries[i].StartOffset);
        }

        return epochs;
    }

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Partition {Partition}: cannot reach the follower on broker {Broker}; retrying with backoff")]
    private partial void LogFollowerUnreachable(Orlog.TopicPartition partition, int broker, Exception error);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Partition {Partition}: the follower on broker {Broker} follows again from offset {EndOffset}")]
    private partial void LogFollowerBack(Orlog.TopicPartition partition, int broker, long endOffset);
}
