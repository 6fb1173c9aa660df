using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Subscribe: group membership, rebalance callbacks, auto-commit (all on the consumer's thread, inside Consume).</summary>
internal sealed partial class Consumer<TKey, TValue>
{
    private GroupMemberSession? _session;
    private IReadOnlyList<string> _subscription = [];
    private long _lastAutoCommit;
    private Task? _autoCommit;

    public IReadOnlyList<string> Subscription => _subscription;

    public void Subscribe(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ThrowIfClosed();
        var wanted = new SortedSet<string>(topics, StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new ArgumentException("Subscribe to at least one topic; use Unsubscribe to stop.", nameof(topics));
        }

        foreach (var topic in wanted)
        {
            Topics.TopicName.Validate(topic);
        }

        if (_session is null && (_partitions.Count > 0 || _unpositioned.Count > 0))
        {
            throw new InvalidOperationException("The consumer has a manual assignment; Unassign before subscribing.");
        }

        _session ??= new GroupMemberSession(_config, _groups, _time, () => _queued.Release());
        _subscription = [.. wanted];
        _lastAutoCommit = _time.GetTimestamp();
        _session.Subscribe(_subscription);
    }

    public void Subscribe(string topic) => Subscribe([topic]);

    public void Unsubscribe()
    {
        if (_session is not { } session)
        {
            return;
        }

        RevokeAll();
        _session = null;
        _subscription = [];
        session.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Called at the top of every Consume turn: marks the consumer alive, applies a new assignment, auto-commits.</summary>
    private void PollGroup()
    {
        if (_session is { } session)
        {
            session.Polled();
            if (session.TryTakePending(out var publication))
            {
                Apply(session, publication);
            }
        }

        MaybeAutoCommit();
    }

    private void Apply(GroupMemberSession session, GroupPublication publication)
    {
        if (publication.Partitions is not { } partitions)
        {
            var lost = Assignment;
            DropAll();
            session.Applied(publication, [], revoked: false);
            if (publication.Error is { } error)
            {
                _subscription = [];
                throw error;
            }

            if (lost.Count > 0)
            {
                _handlers.Lost?.Invoke(this, lost);
            }

            return;
        }

        var target = new HashSet<TopicPartition>(partitions);
        var revoked = new List<TopicPartition>();
        foreach (var partition in Assignment)
        {
            if (!target.Contains(partition))
            {
                revoked.Add(partition);
            }
        }

        var added = new List<TopicPartition>();
        var current = new HashSet<TopicPartition>(Assignment);
        foreach (var partition in partitions)
        {
            if (!current.Contains(partition))
            {
                added.Add(partition);
            }
        }

        try
        {
            if (revoked.Count > 0)
            {
                Revoke(revoked);
            }

            if (added.Count > 0)
            {
                AddAssigned(added);
            }
        }
        finally
        {
            session.Applied(publication, Assignment, revoked.Count > 0);
        }

        foreach (var partition in added)
        {
            if (_unpositioned.Contains(partition))
            {
                throw new ConsumeException(
                    new TopicPartitionOffset(partition, Offset.Unset),
                    new OrlogException(ErrorCode.OffsetOutOfRange, $"Group '{_config.GroupId}' has no committed offset for {partition} and auto.offset.reset is none; Seek to a position."));
            }
        }
    }

    /// <summary>Commits what was consumed (auto-commit), tells the app, and stops reading <paramref name="revoked"/>.</summary>
    private void Revoke(IReadOnlyList<TopicPartition> revoked)
    {
        var positions = PositionsOf(revoked);
        if (_config.EnableAutoCommit && positions.Count > 0)
        {
            TryCommit(positions);
        }

        if (_handlers.Revoked is { } handler)
        {
            var known = positions.ToDictionary(p => p.TopicPartition, p => p.Offset);
            handler(this, [.. revoked.Select(p => new TopicPartitionOffset(p, known.GetValueOrDefault(p, Offset.Unset)))]);
        }

        foreach (var partition in revoked)
        {
            Remove(partition);
        }
    }

    private void RevokeAll()
    {
        var assignment = Assignment;
        if (assignment.Count > 0)
        {
            Revoke(assignment);
        }
    }

    /// <summary>Starts reading newly assigned partitions from the group's committed offsets (else per auto.offset.reset), then tells the app.</summary>
    private void AddAssigned(IReadOnlyList<TopicPartition> added)
    {
        var committed = new Dictionary<TopicPartition, long>();
        var fetch = _groups.FetchOffsetsAsync(_config.GroupId!, added);
        Wait(fetch, TimeSpan.FromMilliseconds(_config.RequestTimeoutMs), $"Fetching the committed offsets of group {_config.GroupId}");
        foreach (var offset in fetch.Result)
        {
            committed[offset.Partition] = offset.Offset;
        }

        foreach (var partition in added)
        {
            if (committed.TryGetValue(partition, out var offset))
            {
                _partitions.Add(NewState(new TopicPartitionOffset(partition, offset)));
            }
            else if (_config.AutoOffsetReset == AutoOffsetReset.Error)
            {
                _unpositioned.Add(partition);
            }
            else
            {
                _partitions.Add(NewState(new TopicPartitionOffset(partition, _config.AutoOffsetReset == AutoOffsetReset.Earliest ? Offset.Beginning : Offset.End)));
            }
        }

        _handlers.Assigned?.Invoke(this, added);
    }

    private void DropAll()
    {
        foreach (var state in _partitions)
        {
            Stop(state.Fetcher);
        }

        _partitions.Clear();
        _unpositioned.Clear();
        _paused.Clear();
        _next = 0;
    }

    private void Remove(TopicPartition partition)
    {
        var index = IndexOf(partition);
        if (index >= 0)
        {
            Stop(_partitions[index].Fetcher);
            _partitions.RemoveAt(index);
            _next = 0;
        }

        _unpositioned.Remove(partition);
        _paused.Remove(partition);
    }

    private void MaybeAutoCommit()
    {
        if (!_config.EnableAutoCommit || _config.GroupId is null || _time.GetElapsedTime(_lastAutoCommit).TotalMilliseconds < _config.AutoCommitIntervalMs)
        {
            return;
        }

        if (_autoCommit is { IsCompleted: false })
        {
            return;
        }

        if (_autoCommit is { Exception: { } failed })
        {
            // Reported, then retried with the newer positions below: positions only move forward.
            ReportError(failed.InnerException as OrlogException ?? ClusterErrors.Translate(failed.InnerException!, "Auto-commit"));
        }

        _lastAutoCommit = _time.GetTimestamp();
        var positions = PositionsOf(Assignment);
        _autoCommit = positions.Count > 0 && (_session is null || _session.Identity.MemberId.Length > 0) ? CommitCoreAsync(positions) : null;
    }

    /// <summary>A commit whose failure must not stop a rebalance or a close: the error goes to the error handler; the records are then read again (at least once).</summary>
    private void TryCommit(IReadOnlyList<TopicPartitionOffset> positions)
    {
        try
        {
            Wait(CommitCoreAsync(positions), TimeSpan.FromMilliseconds(_config.RequestTimeoutMs), "Commit");
        }
        catch (OrlogException e)
        {
            ReportError(e);
        }
    }

    private void ReportError(OrlogException error)
    {
        if (_handlers.Error is { } handler)
        {
            handler(this, error);
        }
    }
}
