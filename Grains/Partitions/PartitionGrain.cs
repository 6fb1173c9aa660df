using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;
using Orlog.Cluster;
using Orlog.Errors;
using Orlog.Log;
using Orlog.Metrics;
using Orlog.Replication;
using Orlog.Tiering;
using Orlog.Topics;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Partitions;

/// <summary>
/// The leader of one partition: validates and appends produced batches to the partition's log,
/// replicates them to the followers, serves fetches below the high watermark with long poll,
/// lists offsets and deletes records.
/// </summary>
/// <remarks>
/// Reentrant: calls interleave at their awaits (a fetch waiting for data, a produce waiting for
/// the replicas, a push to a follower), never inside the synchronous log calls, so a long-poll
/// fetch never holds up a produce. All fields are touched on the grain's scheduler only.
/// </remarks>
[Reentrant]
[PartitionPlacement]
public sealed partial class PartitionGrain(
    LogManager logs,
    RemoteTier tier,
    BrokerIdentity broker,
    LiveBrokers liveBrokers,
    IOptions<ReplicationOptions> replicationOptions,
    BrokerMetrics metrics,
    TimeProvider time,
    ILogger<PartitionGrain> logger)
    : Grain, IPartitionGrain, IPartitionControlGrain
{
    private readonly ILogger _logger = logger;
    private readonly ReplicationOptions _options = replicationOptions.Value;
    private TopicPartition _partition;
    private TopicDescription? _topic;
    private PartitionLog? _log;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partition = PartitionKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        StopLeading();
        return Task.CompletedTask;
    }

    public async Task<ProduceResult> ProduceAsync(ProduceBatches batches, Acks acks)
    {
        var started = time.GetTimestamp();
        PartitionLog log;
        LogAppendInfo appended;
        try
        {
            if (acks is not (Acks.None or Acks.Leader or Acks.All))
            {
                throw new OrlogException(ErrorCode.InvalidRequiredAcks, $"acks must be 0, 1 or -1 (all); got {(short)acks}.");
            }

            log = await OpenLogAsync();
            if (batches.IsMissing)
            {
                throw new OrlogException(ErrorCode.InvalidRecord, "The request holds no record batch.");
            }

            var leadership = _leadership;
            if (acks == Acks.All)
            {
                EnsureEnoughInSync(leadership, ErrorCode.NotEnoughReplicas, "the batch was not stored");
            }

            appended = log.Append(batches.Span, leadership?.LeaderEpoch ?? 0);
        }
        finally
        {
            batches.Release();
        }

        OnAppended(log);
        if (acks == Acks.All)
        {
            await log.Durability.WaitAsync(appended.LastOffset);
            await WaitForHighWatermarkAsync(log, appended.LastOffset);
            EnsureEnoughInSync(_leadership, ErrorCode.NotEnoughReplicasAfterAppend, "the batch is stored on fewer replicas than required");
        }

        if (!appended.Duplicate)
        {
            metrics.Produced(_partition.Topic, appended.LastOffset - appended.FirstOffset + 1, batches.Length, time.GetElapsedTime(started));
        }

        var appendTime = log.Config.MessageTimestampType == Records.TimestampType.LogAppendTime ? appended.AppendTime : -1;
        return new ProduceResult(appended.FirstOffset, appended.LastOffset, appendTime, appended.LogStartOffset, appended.BatchOffsets);
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
            OffsetSpec.LatestValue => new ListOffsetsResult(log.HighWatermark, -1),
            >= 0 when log.TryFindOffsetByTimestamp(spec.Value, out var found) && found.Offset < log.HighWatermark => new ListOffsetsResult(found.Offset, found.Timestamp),
            >= 0 => new ListOffsetsResult(-1, -1),
            _ => throw new OrlogException(ErrorCode.InvalidRequest, $"Offset spec {spec.Value} is neither earliest (-2), latest (-1) nor a timestamp (>= 0)."),
        };
    }

    public async Task<long> DeleteRecordsAsync(long offset)
    {
        var log = await OpenLogAsync();
        if (offset > log.HighWatermark)
        {
            throw new OffsetOutOfRangeException(offset, log.LogStartOffset, log.HighWatermark);
        }

        log.DeleteBefore(offset == -1 ? log.HighWatermark : offset);
        LogRecordsDeleted(_partition, log.LogStartOffset);
        return log.LogStartOffset;
    }

    public async Task RefreshAsync(TopicDescription topic)
    {
        _topic = topic;
        if (_log is not null)
        {
            StopLeading();
            await logs.CloseAsync(_partition);
            _log = null;
            await OpenLogAsync();
            WakeFetchers();
        }

        await Task.WhenAll(FollowerGrains().Select(follower => BestEffortAsync(follower.RefreshAsync(topic), "refresh")));
    }

    public async Task DeleteDataAsync()
    {
        await OpenLogAsync();
        var followers = FollowerGrains().ToList();
        StopLeading();
        _log = null;
        _topic = null;
        await logs.DeleteAsync(_partition);
        await tier.DeletePartitionAsync(_partition, CancellationToken.None);
        await Task.WhenAll(followers.Select(follower => BestEffortAsync(follower.DeleteDataAsync(), "delete")));
        WakeFetchers();
        DeactivateOnIdle();
    }

    /// <summary>
    /// The partition's log, opened on first use with the topic's configs, once this broker is known to
    /// lead. A topic or partition that does not exist is UNKNOWN_TOPIC_OR_PARTITION, asked again on the next call.
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
        var leadership = await EnsureLeaderHereAsync();
        var config = TopicConfigs.ToLogConfig(topic.Configs);
        if (_log is null && config.RemoteStorageEnable)
        {
            await ReloadRemoteTierAsync();
        }

        if (_log is null)
        {
            var log = logs.GetOrOpen(_partition, config);
            _replication = TopicConfigs.ToReplicationConfig(topic.Configs);
            StartLeading(log, leadership);
            _log = log;
        }

        return _log;
    }

    /// <summary>
    /// Takes over the partition's remote tier as its previous leader left it, so reads below the local log are served
    /// at once. A store that cannot be read now is read by the next tiering pass; until then such reads find nothing.
    /// </summary>
    private async Task ReloadRemoteTierAsync()
    {
        try
        {
            await tier.ReloadAsync(_partition, CancellationToken.None);
        }
        catch (Exception error)
        {
            LogRemoteTierReloadFailed(_partition, error);
        }
    }

    /// <summary>The follower replicas' grains, as the controller last told this leader; none when it does not lead.</summary>
    private IEnumerable<IFollowerGrain> FollowerGrains() =>
        (_leadership?.Replicas ?? []).Where(r => r != broker.BrokerId).Select(r => GrainFactory.GetGrain<IFollowerGrain>(FollowerKey.Format(_partition, r)));

    /// <summary>Awaits a call to a follower whose broker may be down; a failure is logged, not thrown (the broker cleans up when it returns).</summary>
    private async Task BestEffortAsync(Task call, string what)
    {
        try
        {
            await call;
        }
        catch (Exception error)
        {
            LogFollowerCallFailed(_partition, what, error);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Deleted records of {Partition} below offset {LogStartOffset}")]
    private partial void LogRecordsDeleted(TopicPartition partition, long logStartOffset);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Partition {Partition}: reading its remote manifest failed; reads below the local log start wait for the next tiering pass")]
    private partial void LogRemoteTierReloadFailed(TopicPartition partition, Exception error);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Partition {Partition}: a follower missed the {What} (its broker may be down)")]
    private partial void LogFollowerCallFailed(TopicPartition partition, string what, Exception error);
}
