using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Orlog.Hosting;
using Orlog.Storage;
using Orlog.Topics;

namespace Orlog.Groups;

/// <summary>
/// A consumer group: membership and assignment (<see cref="GroupMembership"/>) and committed offsets,
/// both in grain storage. While it has members a timer removes members whose session expired and
/// rebalances when a subscribed topic gains partitions.
/// </summary>
/// <remarks>
/// Reentrant: calls interleave at their awaits (a heartbeat's long poll, a write to storage), never
/// inside the synchronous membership calls. Every join, sync and removal is stored before it is
/// answered (heartbeats change nothing stored), so when the grain is activated again elsewhere — its
/// silo restarted or died — it restores the group as its members last heard of it: they go on
/// heartbeating under the same ids and generation, and nobody is rebalanced.
/// </remarks>
[Reentrant]
public sealed partial class ConsumerGroupGrain : Grain, IConsumerGroupGrain
{
    /// <summary>The longest a heartbeat may wait.</summary>
    public static readonly TimeSpan MaxHeartbeatWait = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(250);

    private readonly IPersistentState<StoredGroup> _state;
    private readonly ConsumerGroupOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GroupMembership _membership;
    private readonly CoalescingStateWriter _writer;
    private TaskCompletionSource? _changed;
    private IGrainTimer? _timer;
    private long _lastMetadataRefresh;
    private long _storedVersion;
    private bool _registered;

    public ConsumerGroupGrain(
        [PersistentState("group", OrlogStorage.Metadata)] IPersistentState<StoredGroup> state,
        IOptions<ConsumerGroupOptions> options,
        TimeProvider time,
        ILogger<ConsumerGroupGrain> logger)
    {
        _state = state;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _membership = new GroupMembership(_options, time);
        _membership.Changed += WakeHeartbeats;
        _writer = new CoalescingStateWriter(WriteStateAsync);
    }

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_state.State.Membership is { } stored)
        {
            _membership.Restore(stored);
            LogRestored(Id, _membership.Count, _membership.Generation);
            await OnFirstMemberAsync();
        }
    }

    public async Task<GroupAssignment> JoinAsync(JoinGroupRequest request)
    {
        GroupId.Validate(Id);
        _membership.Validate(request);
        await RefreshPartitionCountsAsync(request.Topics);

        var wasEmpty = _membership.Count == 0;
        var generation = _membership.Generation;
        var assignment = _membership.Join(request, NewMemberId(request.ClientId));
        LogJoined(Id, assignment.MemberId, request.GroupInstanceId, _membership.Generation, generation != _membership.Generation);
        if (wasEmpty)
        {
            await OnFirstMemberAsync();
        }

        await _writer.WriteAsync();
        return assignment;
    }

    public async Task<GroupAssignment> SyncAsync(string memberId, int generation, IReadOnlyList<TopicPartition> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        var assignment = _membership.Sync(memberId, generation, owned);
        await _writer.WriteAsync();
        return assignment;
    }

    public async Task<HeartbeatResult> HeartbeatAsync(string memberId, int generation, TimeSpan maxWait)
    {
        if (maxWait < TimeSpan.Zero || maxWait > MaxHeartbeatWait)
        {
            throw new OrlogException(ErrorCode.InvalidRequest, $"maxWait must be between 0 and {MaxHeartbeatWait}; got {maxWait}.");
        }

        var started = _time.GetTimestamp();
        while (true)
        {
            var syncNeeded = _membership.Heartbeat(memberId, generation);
            var waited = _time.GetElapsedTime(started);
            if (syncNeeded || waited >= maxWait)
            {
                return new HeartbeatResult(_membership.Generation, syncNeeded);
            }

            _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await _changed.Task.WaitAsync(maxWait - waited, _time);
            }
            catch (TimeoutException)
            {
                // The wait is over: the next pass answers.
            }
        }
    }

    public async Task LeaveAsync(string memberId)
    {
        _membership.Leave(memberId);
        LogLeft(Id, memberId, "it left", _membership.Generation);
        await OnMemberGoneAsync();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var removed = _membership.RemoveExpired();
        foreach (var (member, reason) in removed)
        {
            LogLeft(Id, member.MemberId, reason, _membership.Generation);
        }

        if (removed.Count > 0)
        {
            await OnMemberGoneAsync();
        }

        if (_membership.Count > 0 && _time.GetElapsedTime(_lastMetadataRefresh).TotalMilliseconds >= _options.MetadataRefreshIntervalMs)
        {
            await RefreshPartitionCountsAsync([]);
        }
    }

    /// <summary>Looks up the partition counts of the subscribed topics (and <paramref name="extra"/>); rebalances the group when they changed.</summary>
    private async Task RefreshPartitionCountsAsync(IReadOnlyCollection<string> extra)
    {
        _lastMetadataRefresh = _time.GetTimestamp();
        var topics = new SortedSet<string>(_membership.SubscribedTopics, StringComparer.Ordinal);
        topics.UnionWith(extra);
        var lookups = new List<(string Topic, Task<int> Count)>(topics.Count);
        foreach (var topic in topics)
        {
            lookups.Add((topic, PartitionCountAsync(topic)));
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (topic, count) in lookups)
        {
            counts[topic] = await count;
        }

        if (UpdatePartitionCounts(counts))
        {
            await _writer.WriteAsync();
        }
    }

    /// <summary>Hands the membership new partition counts; true when that rebalanced the group (a subscribed topic's count changed).</summary>
    private bool UpdatePartitionCounts(IReadOnlyDictionary<string, int> counts)
    {
        if (!_membership.UpdatePartitionCounts(counts))
        {
            return false;
        }

        LogPartitionsChanged(Id, _membership.Generation);
        return true;
    }

    private async Task<int> PartitionCountAsync(string topic)
    {
        try
        {
            return (await GrainFactory.GetGrain<ITopicGrain>(topic).DescribeAsync()).Partitions;
        }
        catch (OrlogException e) when (e.Code == ErrorCode.UnknownTopicOrPartition)
        {
            return 0;
        }
    }

    private async Task OnFirstMemberAsync()
    {
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = true, KeepAlive = true });
        await RegisterAsync();
        _state.State.EmptySince = null;
    }

    /// <summary>Stores the membership without the members that left; the last one to go starts the group's empty time.</summary>
    private async Task OnMemberGoneAsync()
    {
        if (_membership.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
            _state.State.EmptySince = _time.GetUtcNow();
        }

        await _writer.WriteAsync();
    }

    /// <summary>The storage write: takes the membership along when it changed since the last write.</summary>
    private Task WriteStateAsync()
    {
        if (_storedVersion != _membership.Version)
        {
            _state.State.Membership = _membership.ToStored();
            _storedVersion = _membership.Version;
        }

        return _state.State.IsEmpty ? _state.ClearStateAsync() : _state.WriteStateAsync();
    }

    private async Task RegisterAsync()
    {
        if (!_registered)
        {
            await GrainFactory.GetGrain<IConsumerGroupDirectoryGrain>(IConsumerGroupDirectoryGrain.Key).AddAsync(Id);
            _registered = true;
        }
    }

    private void WakeHeartbeats()
    {
        if (_changed is { } changed)
        {
            _changed = null;
            changed.TrySetResult();
        }
    }

    /// <summary>Kafka's member id shape: the client id and a unique suffix.</summary>
    private static string NewMemberId(string? clientId) =>
        $"{(string.IsNullOrEmpty(clientId) ? "consumer" : clientId)}-{Guid.NewGuid():N}";
}
