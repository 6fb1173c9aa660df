using Orlog.Errors;
using Orlog.Groups;

namespace Orlog.Client;

/// <summary>
/// A subscribed consumer's membership in its group, run in the background: join, heartbeat (a
/// long poll that returns early when a rebalance starts), sync, rejoin after being removed.
/// </summary>
/// <remarks>
/// <para>
/// The session never changes what the consumer reads: it publishes each new assignment (or
/// "lost") and the consumer applies it on its own thread, inside Consume, as Kafka's consumer runs
/// its rebalance callbacks inside poll. The session syncs again only after the consumer has
/// applied the latest publication, so what it reports as owned is what the consumer really reads;
/// the group never hands a partition to another member before this one has let go of it.
/// </para>
/// <para>
/// A consumer that does not call Consume for <c>max.poll.interval.ms</c> is taken out of the group
/// (its partitions are lost) and joins again at its next Consume.
/// </para>
/// </remarks>
internal sealed class GroupMemberSession : IAsyncDisposable
{
    private readonly ConsumerConfig _config;
    private readonly string _groupId;
    private readonly IGroupClient _client;
    private readonly TimeProvider _time;
    private readonly Action _onPublished;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task _loop = Task.CompletedTask;

    // Shared between the loop and the consumer thread, under _lock.
    private IReadOnlyList<string> _topics = [];
    private bool _subscriptionChanged;
    private GroupPublication? _pending;
    private long _published;
    private long _applied;
    private IReadOnlyList<TopicPartition> _owned = [];
    private bool _revokedSinceSync;
    private string _memberId = "";
    private int _generation;
    private long _lastPoll;
    private bool _leftForPollTimeout;

    public GroupMemberSession(ConsumerConfig config, IGroupClient client, TimeProvider time, Action onPublished)
    {
        _config = config;
        _groupId = config.GroupId ?? throw new OrlogException(ErrorCode.InvalidConfig, "Subscribe needs a GroupId in the ConsumerConfig.");
        _client = client;
        _time = time;
        _onPublished = onPublished;
        _lastPoll = time.GetTimestamp();
    }

    public string GroupId => _groupId;

    /// <summary>The member id and generation of the latest sync, for commits.</summary>
    public (string MemberId, int Generation) Identity
    {
        get
        {
            lock (_lock)
            {
                return (_memberId, _generation);
            }
        }
    }

    /// <summary>Starts the session, or changes the subscription of a running one.</summary>
    public void Subscribe(IReadOnlyList<string> topics)
    {
        lock (_lock)
        {
            _topics = topics;
            _subscriptionChanged = _memberId.Length > 0;
        }

        if (_loop.IsCompleted)
        {
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }

        _wake.Release();
    }

    /// <summary>Takes the latest publication the consumer has not applied yet (consumer thread).</summary>
    public bool TryTakePending(out GroupPublication publication)
    {
        lock (_lock)
        {
            publication = _pending!;
            _pending = null;
            return publication is not null;
        }
    }

    /// <summary>The consumer applied a publication and now reads <paramref name="owned"/> (consumer thread).</summary>
    public void Applied(GroupPublication publication, IReadOnlyList<TopicPartition> owned, bool revoked)
    {
        lock (_lock)
        {
            _applied = Math.Max(_applied, publication.Sequence);
            _owned = owned;
            _revokedSinceSync |= revoked;
        }

        _wake.Release();
    }

    /// <summary>The consumer polled (consumer thread): it is alive for max.poll.interval.ms.</summary>
    public void Polled()
    {
        bool rejoin;
        lock (_lock)
        {
            _lastPoll = _time.GetTimestamp();
            rejoin = _leftForPollTimeout;
            _leftForPollTimeout = false;
        }

        if (rejoin)
        {
            _wake.Release();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        Task<HeartbeatResult>? heartbeat = null;
        var syncNeeded = false;
        var failures = 0;
        var lastContact = _time.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var step = NextStep(syncNeeded);
                switch (step)
                {
                    case Step.Join or Step.ChangeSubscription:
                        heartbeat = null;
                        Publish(await _client.JoinAsync(_groupId, JoinRequest(step == Step.Join ? "" : Identity.MemberId)).ConfigureAwait(false));
                        break;
                    case Step.LeaveForPollTimeout:
                        heartbeat = null;
                        await _client.LeaveAsync(_groupId, Identity.MemberId).ConfigureAwait(false);
                        PublishLost(pollTimeout: true);
                        break;
                    case Step.Sync:
                        syncNeeded = false;
                        var (memberId, generation, owned) = SyncArguments();
                        Publish(await _client.SyncAsync(_groupId, memberId, generation, owned).ConfigureAwait(false));
                        break;
                    case Step.Wait:
                        await _wake.WaitAsync(stop).ConfigureAwait(false);
                        continue;
                    default:
                        var (id, current) = Identity;
                        heartbeat ??= _client.HeartbeatAsync(_groupId, id, current, TimeSpan.FromMilliseconds(_config.HeartbeatIntervalMs));
                        var woken = _wake.WaitAsync(stop);
                        if (await Task.WhenAny(heartbeat, woken).ConfigureAwait(false) == woken)
                        {
                            await woken.ConfigureAwait(false);
                            continue;
                        }

                        Drain(woken);
                        var result = await heartbeat.ConfigureAwait(false);
                        heartbeat = null;
                        syncNeeded |= result.SyncNeeded;
                        break;
                }

                failures = 0;
                lastContact = _time.GetTimestamp();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (OrlogException e) when (e.Code is ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration)
            {
                // Removed from the group (session timeout, or replaced): what it held is gone; join again.
                heartbeat = null;
                PublishLost(pollTimeout: false);
            }
            catch (OrlogException e) when (RetryPolicy.IsRetriable(e.Code))
            {
                heartbeat = null;
                failures++;
                if (_time.GetElapsedTime(lastContact).TotalMilliseconds > _config.SessionTimeoutMs)
                {
                    PublishLost(pollTimeout: false);
                }

                await DelayAsync(RetryPolicy.Backoff(failures, _config.RetryBackoffMs, _config.RetryBackoffMaxMs, Random.Shared.NextDouble()), stop).ConfigureAwait(false);
            }
            catch (OrlogException e)
            {
                // Refused for good (a config the group rejects): Consume raises it; a new Subscribe tries again.
                heartbeat = null;
                PublishError(e);
            }
        }
    }

    private enum Step
    {
        Join,
        ChangeSubscription,
        LeaveForPollTimeout,
        Sync,
        Heartbeat,
        Wait,
    }

    private Step NextStep(bool syncNeeded)
    {
        lock (_lock)
        {
            var caughtUp = _applied == _published;
            if (_memberId.Length == 0)
            {
                // A lost assignment must be applied before joining again, and a consumer that left for
                // not polling joins again only when it polls.
                return caughtUp && !_leftForPollTimeout && _topics.Count > 0 ? Step.Join : Step.Wait;
            }

            if (_subscriptionChanged)
            {
                _subscriptionChanged = false;
                return Step.ChangeSubscription;
            }

            if (_time.GetElapsedTime(_lastPoll).TotalMilliseconds > _config.MaxPollIntervalMs)
            {
                return Step.LeaveForPollTimeout;
            }

            if (caughtUp && (syncNeeded || _revokedSinceSync))
            {
                _revokedSinceSync = false;
                return Step.Sync;
            }

            return Step.Heartbeat;
        }
    }

    private (string MemberId, int Generation, IReadOnlyList<TopicPartition> Owned) SyncArguments()
    {
        lock (_lock)
        {
            return (_memberId, _generation, _owned);
        }
    }

    private JoinGroupRequest JoinRequest(string memberId)
    {
        IReadOnlyList<string> topics;
        lock (_lock)
        {
            topics = _topics;
        }

        return new JoinGroupRequest(
            memberId,
            _config.GroupInstanceId,
            _config.ClientId,
            topics,
            AssignorName(_config.PartitionAssignmentStrategy),
            _config.SessionTimeoutMs,
            _config.MaxPollIntervalMs);
    }

    internal static string AssignorName(PartitionAssignmentStrategy strategy) => strategy switch
    {
        PartitionAssignmentStrategy.Range => "range",
        PartitionAssignmentStrategy.RoundRobin => "roundrobin",
        _ => "cooperative-sticky",
    };

    private void Publish(GroupAssignment assignment)
    {
        lock (_lock)
        {
            _memberId = assignment.MemberId;
            _generation = assignment.Generation;
            _pending = new GroupPublication(++_published, assignment.Partitions, assignment.Generation, null);
        }

        _onPublished();
    }

    private void PublishLost(bool pollTimeout)
    {
        lock (_lock)
        {
            _memberId = "";
            _leftForPollTimeout = pollTimeout;
            _pending = new GroupPublication(++_published, null, _generation, null);
        }

        _onPublished();
    }

    private void PublishError(OrlogException error)
    {
        lock (_lock)
        {
            _memberId = "";
            _topics = [];
            _pending = new GroupPublication(++_published, null, _generation, error);
        }

        _onPublished();
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: the loop ends.
        }
    }

    // A wake-up that raced with the heartbeat's answer is kept for the next turn instead of lost.
    private void Drain(Task woken) =>
        _ = woken.ContinueWith(static (_, wake) => ((SemaphoreSlim)wake!).Release(), _wake, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>Stops the session; a dynamic member leaves the group so its partitions move at once (a static one keeps them until its session times out).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        var (memberId, _) = Identity;
        if (memberId.Length > 0 && _config.GroupInstanceId is null)
        {
            try
            {
                await _client.LeaveAsync(_groupId, memberId).ConfigureAwait(false);
            }
            catch (OrlogException)
            {
                // The group has already dropped the member, or is unreachable: its session times out.
            }
        }

        _stop.Dispose();
        _wake.Dispose();
    }
}
