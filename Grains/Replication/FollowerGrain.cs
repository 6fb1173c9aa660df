using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Partitions;
using Orlog.Topics;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Replication;

/// <summary>
/// A follower replica on its broker's silo: takes the batches its leader pushes into the local log of the
/// partition (the same log the partition grain serves from when this broker leads), after truncating that
/// log by leader epoch to where it agrees with the leader.
/// </summary>
/// <remarks>Only the controller's leader at the controller's epoch is followed; anything older is fenced.</remarks>
[FollowerPlacement]
public sealed partial class FollowerGrain(LogManager logs, BrokerIdentity broker, LiveBrokers liveBrokers, ILogger<FollowerGrain> logger)
    : Grain, IFollowerGrain
{
    private readonly ILogger _logger = logger;
    private TopicPartition _partition;
    private int _broker;
    private int _leader = -1;
    private int _leaderEpoch = -1;

    /// <summary>The log settings of the topic, parsed once (pushes come often); null until the leader is first followed.</summary>
    private LogConfig? _config;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_partition, _broker) = FollowerKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<long> FollowAsync(FollowRequest request)
    {
        await EnsureOnBrokerAsync();
        if (request.LeaderEpoch < _leaderEpoch)
        {
            throw Fenced(request.LeaderEpoch);
        }

        if (request.LeaderEpoch != _leaderEpoch || request.Leader != _leader)
        {
            var current = await GrainFactory.GetGrain<IControllerGrain>(IControllerGrain.Key).LeadershipAsync(_partition)
                ?? throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"The controller has no partition {_partition}.");
            if (current.LeaderEpoch != request.LeaderEpoch || current.Leader != request.Leader)
            {
                throw new OrlogException(ErrorCode.FencedLeaderEpoch, $"Broker {request.Leader} at epoch {request.LeaderEpoch} does not lead {_partition}: the controller names broker {current.Leader} at epoch {current.LeaderEpoch}.");
            }

            if (Array.IndexOf(current.Replicas, _broker) < 0)
            {
                throw new OrlogException(ErrorCode.NotLeaderOrFollower, $"Broker {_broker} holds no replica of {_partition}.");
            }

            (_leader, _leaderEpoch) = (request.Leader, request.LeaderEpoch);
        }

        var log = await OpenLogAsync();
        log.Fence(_leaderEpoch);
        var before = log.LogEndOffset;
        var agreed = Math.Min(EpochTruncation.AgreedEnd(log.LatestEpoch, log.LogEndOffset, log.EndOffsetForEpoch, request.Epochs, request.LogEndOffset), request.LogEndOffset);
        if (agreed < log.LogStartOffset)
        {
            log.TruncateFullyAndStartAt(request.LogStartOffset);
        }
        else
        {
            log.TruncateTo(agreed);
            if (log.LogEndOffset < request.LogStartOffset)
            {
                log.TruncateFullyAndStartAt(request.LogStartOffset);
            }
        }

        LogFollowing(_partition, _leader, _leaderEpoch, before, log.LogEndOffset);
        return log.LogEndOffset;
    }

    public async Task<long> AppendAsync(ReplicaPush push, Immutable<byte[]> batches)
    {
        if (push.LeaderEpoch < _leaderEpoch)
        {
            throw Fenced(push.LeaderEpoch);
        }

        if (push.LeaderEpoch != _leaderEpoch || _config is null)
        {
            throw new OrlogException(ErrorCode.UnknownLeaderEpoch, $"Broker {_broker} follows {_partition} at epoch {_leaderEpoch}, not {push.LeaderEpoch}: the leader must start following first.");
        }

        var log = await OpenLogAsync();
        if (batches.Value is { Length: > 0 } bytes)
        {
            log.AppendAsFollower(bytes);
        }

        if (push.LogStartOffset > log.LogStartOffset)
        {
            log.DeleteBefore(Math.Min(push.LogStartOffset, log.LogEndOffset));
        }

        log.RemoteCopiedOffset = push.RemoteCopiedOffset;
        log.HighWatermark = Math.Min(push.HighWatermark, log.LogEndOffset);
        return log.LogEndOffset;
    }

    public async Task RefreshAsync(TopicDescription topic)
    {
        _config = TopicConfigs.ToLogConfig(topic.Configs);
        if (logs.TryGet(_partition, out _))
        {
            await logs.CloseAsync(_partition);
            var log = await OpenLogAsync();
            log.Fence(_leaderEpoch);
        }
    }

    public async Task DeleteDataAsync()
    {
        await EnsureOnBrokerAsync();
        await logs.DeleteAsync(_partition);
        DeactivateOnIdle();
    }

    private async ValueTask<PartitionLog> OpenLogAsync()
    {
        _config ??= TopicConfigs.ToLogConfig((await GrainFactory.GetGrain<ITopicGrain>(_partition.Topic).DescribeAsync()).Configs);
        return logs.GetOrOpen(_partition, _config);
    }

    /// <summary>
    /// Checks that this silo is the follower's broker. The placement puts the grain elsewhere only while the
    /// broker is down (REPLICA_NOT_AVAILABLE); once it is back the grain migrates there (NOT_LEADER_OR_FOLLOWER, retry).
    /// </summary>
    private Task EnsureOnBrokerAsync()
    {
        if (_broker == broker.BrokerId)
        {
            return Task.CompletedTask;
        }

        if (liveBrokers.SiloOf(_broker) is not null)
        {
            MigrateOnIdle();
            throw new OrlogException(ErrorCode.NotLeaderOrFollower, $"The replica of {_partition} on broker {_broker} is moving to its broker's silo; retry.");
        }

        throw new OrlogException(ErrorCode.ReplicaNotAvailable, $"Broker {_broker}, which holds a replica of {_partition}, is down.");
    }

    private OrlogException Fenced(int epoch) =>
        new(ErrorCode.FencedLeaderEpoch, $"Broker {_broker} follows leader {_leader} of {_partition} at epoch {_leaderEpoch}; epoch {epoch} is stale.");

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Following {Partition} from leader {Leader} at epoch {LeaderEpoch}: log end {Before} -> {After} after truncation by epoch")]
    private partial void LogFollowing(TopicPartition partition, int leader, int leaderEpoch, long before, long after);
}
