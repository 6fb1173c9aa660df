using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Metrics;
using Orlog.Tiering;
using Orlog.Topics;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Partitions;

/// <summary>
/// The leader of one partition: validates and appends produced batches to the partition's log,
/// serves fetches with long poll, lists offsets and deletes records.
/// </summary>
/// <remarks>
/// Reentrant: calls interleave at their awaits (a fetch waiting for data, a produce waiting for
/// a group commit), never inside the synchronous log calls, so a long-poll fetch never holds up
/// a produce. All fields are touched on the grain's scheduler only.
/// </remarks>
[Reentrant]
[PartitionPlacement]
public sealed partial class PartitionGrain(LogManager logs, RemoteTier tier, BrokerIdentity broker, LiveBrokers liveBrokers, BrokerMetrics metrics, TimeProvider time, ILogger<PartitionGrain> logger)
    : Grain, IPartitionGrain, IPartitionControlGrain
{
    private readonly ILogger _logger = logger;
    private TopicPartition _partition;
    private TopicDescription? _topic;
    private PartitionLog? _log;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partition = PartitionKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<ProduceResult> ProduceAsync(Immutable<byte[]> batches, Acks acks)
    {
        if (acks is not (Acks.None or Acks.Leader or Acks.All))
        {
            throw new OrlogException(ErrorCode.InvalidRequiredAcks, $"acks must be 0, 1 or -1 (all); got {(short)acks}.");
        }

        var started = time.GetTimestamp();
        var log = await OpenLogAsync();
        var bytes = batches.Value ?? throw new OrlogException(ErrorCode.InvalidRecord, "The request holds no record batch.");
        var appended = log.Append(bytes);
        WakeFetchers();
        if (acks == Acks.All)
        {
            await log.Durability.WaitAsync(appended.LastOffset);
        }

        metrics.Produced(_partition.Topic, appended.LastOffset - appended.FirstOffset + 1, bytes.Length, time.GetElapsedTime(started));
        var appendTime = log.Config.MessageTimestampType == Records.TimestampType.LogAppendTime ? appended.AppendTime : -1;
        return new ProduceResult(appended.FirstOffset, appended.LastOffset, appendTime, appended.LogStartOffset);
    }

    public async Task<ListOffsetsResult> ListOffsetsAsync(OffsetSpec spec)
    {
        var log = await OpenLogAsync();
        if (spec.Value >= 0 && log.Config.RemoteStorageEnable
            && await tier.FindOffsetByTimestampAsync(_partition, spec.Value, log.LogStartOffset, CancellationToken.None) is { } remote)
        {
            return new ListOffsetsResult(remote.Offset, remote.Timestamp);
        }

        return spec.Value switch
        {
            OffsetSpec.EarliestValue => new ListOffsetsResult(tier.LogStartOffset(_partition, log), -1),
            OffsetSpec.LatestValue => new ListOffsetsResult(log.LogEndOffset, -1),
            >= 0 when log.TryFindOffsetByTimestamp(spec.Value, out var found) => new ListOffsetsResult(found.Offset, found.Timestamp),
            >= 0 => new ListOffsetsResult(-1, -1),
            _ => throw new OrlogException(ErrorCode.InvalidRequest, $"Offset spec {spec.Value} is neither earliest (-2), latest (-1) nor a timestamp (>= 0)."),
        };
    }

    public async Task<long> DeleteRecordsAsync(long offset)
    {
        var log = await OpenLogAsync();
        log.DeleteBefore(offset == -1 ? log.LogEndOffset : offset);
        LogRecordsDeleted(_partition, log.LogStartOffset);
        return log.LogStartOffset;
    }

    public async Task RefreshAsync(TopicDescription topic)
    {
        _topic = topic;
        if (_log is not null)
        {
            await logs.CloseAsync(_partition);
            _log = logs.GetOrOpen(_partition, TopicConfigs.ToLogConfig(topic.Configs));
            WakeFetchers();
        }
    }

    public async Task DeleteDataAsync()
    {
        await EnsureLeaderHereAsync();
        _log = null;
        _topic = null;
        await logs.DeleteAsync(_partition);
        await tier.DeletePartitionAsync(_partition, CancellationToken.None);
        WakeFetchers();
        DeactivateOnIdle();
    }

    /// <summary>
    /// The partition's log, opened on first use with the topic's configs. A topic or partition
    /// that does not exist is UNKNOWN_TOPIC_OR_PARTITION, asked again on the next call.
    /// </summary>
    private ValueTask<PartitionLog> OpenLogAsync() =>
        _log is { } log ? ValueTask.FromResult(log) : new ValueTask<PartitionLog>(OpenLogSlowAsync());

    private async Task<PartitionLog> OpenLogSlowAsync()
    {
        TopicDescription topic;
        try
        {
            topic = _topic ?? await GrainFactory.GetGrain<ITopicGrain>(_partition.Topic).DescribeAsync();
        }
        catch (OrlogException error) when (error.Code == ErrorCode.UnknownTopicOrPartition)
        {
            DeactivateOnIdle();
            throw;
        }

        if (_partition.Partition < 0 || _partition.Partition >= topic.Partitions)
        {
            throw new OrlogException(ErrorCode.UnknownTopicOrPartition, $"Topic '{_partition.Topic}' has partitions 0 to {topic.Partitions - 1}; there is no partition {_partition.Partition}.");
        }

        _topic = topic;
        await EnsureLeaderHereAsync();
        _log ??= logs.GetOrOpen(_partition, TopicConfigs.ToLogConfig(topic.Configs));
        return _log;
    }

    /// <summary>
    /// Checks that this silo's broker leads the partition. The placement puts the grain elsewhere only
    /// while the leader's broker is down (or just joining): calls then fail with LEADER_NOT_AVAILABLE.
    /// Once the broker is live again the grain migrates to it (Orleans' migration moves the directory
    /// entry, so no caller keeps reaching this silo) and the call fails with the retriable
    /// NOT_LEADER_OR_FOLLOWER. A partition without a leader (made before the cluster had a
    /// controller) is served where it is.
    /// </summary>
    private async Task EnsureLeaderHereAsync()
    {
        var (leader, silo) = await liveBrokers.LeaderOfAsync(_partition);
        if (leader < 0 || leader == broker.BrokerId)
        {
            return;
        }

        if (silo is not null)
        {
            MigrateOnIdle();
            throw new OrlogException(ErrorCode.NotLeaderOrFollower, $"Partition {_partition} is led by broker {leader}, not broker {broker.BrokerId}; it is moving there, retry.");
        }

        throw new OrlogException(ErrorCode.LeaderNotAvailable, $"Partition {_partition} is offline: its broker {leader} is not reachable from broker {broker.BrokerId} (down, or still joining the cluster).");
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Deleted records of {Partition} below offset {LogStartOffset}")]
    private partial void LogRecordsDeleted(TopicPartition partition, long logStartOffset);
}
