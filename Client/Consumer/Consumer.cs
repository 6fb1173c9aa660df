using System.Diagnostics;

namespace Orlog.Client;

/// <summary>The consumer, with manual assignment or a group subscription; see <see cref="IConsumer{TKey, TValue}"/>.</summary>
/// <remarks>
/// Each assigned partition has a <see cref="PartitionFetcher"/> fetching ahead in the background;
/// Consume takes from them round-robin, one record at a time, so that a busy partition does not
/// starve the others. Fetchers signal a semaphore when they queue a chunk; Consume waits on it.
/// </remarks>
internal sealed partial class Consumer<TKey, TValue> : IConsumer<TKey, TValue>
{
    private readonly ConsumerConfig _config;
    private readonly IDeserializer<TKey> _keyDeserializer;
    private readonly IDeserializer<TValue> _valueDeserializer;
    private readonly IFetchClient _client;
    private readonly IGroupClient _groups;
    private readonly ConsumerHandlers<TKey, TValue> _handlers;
    private readonly TimeProvider _time;
    private readonly OrlogClient? _ownedClient;
    private readonly List<PartitionState<TKey, TValue>> _partitions = [];
    private readonly HashSet<TopicPartition> _unpositioned = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly SemaphoreSlim _queued = new(0);
    private int _next;
    private bool _closed;

    public Consumer(
        ConsumerConfig config,
        IDeserializer<TKey> keyDeserializer,
        IDeserializer<TValue> valueDeserializer,
        IFetchClient client,
        IGroupClient groups,
        ConsumerHandlers<TKey, TValue> handlers,
        TimeProvider time,
        OrlogClient? ownedClient = null)
    {
        config.Validate();
        _config = config;
        _keyDeserializer = keyDeserializer;
        _valueDeserializer = valueDeserializer;
        _client = client;
        _groups = groups;
        _handlers = handlers;
        _time = time;
        _ownedClient = ownedClient;
    }

    public IReadOnlyList<TopicPartition> Assignment
    {
        get
        {
            var assignment = new List<TopicPartition>(_partitions.Count + _unpositioned.Count);
            foreach (var state in _partitions)
            {
                assignment.Add(state.TopicPartition);
            }

            assignment.AddRange(_unpositioned);
            return assignment;
        }
    }

    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfClosed();
        ThrowIfSubscribed();
        var wanted = partitions.ToList();
        var distinct = new HashSet<TopicPartition>();
        foreach (var partition in wanted)
        {
            if (!distinct.Add(partition.TopicPartition))
            {
                throw new ArgumentException($"{partition.TopicPartition} is assigned twice.", nameof(partitions));
            }
        }

        Unassign();
        foreach (var partition in wanted)
        {
            _partitions.Add(NewState(partition));
        }
    }

    public void IncrementalAssign(TopicPartitionOffset partition)
    {
        ThrowIfClosed();
        ThrowIfSubscribed();
        if (IndexOf(partition.TopicPartition) >= 0)
        {
            Seek(partition);
            return;
        }

        _partitions.Add(NewState(partition));
    }

    public void Unassign()
    {
        ThrowIfSubscribed();
        DropAll();
    }

    public void Seek(TopicPartitionOffset position)
    {
        ThrowIfClosed();
        var index = IndexOf(position.TopicPartition);
        if (index < 0 && _unpositioned.Remove(position.TopicPartition))
        {
            _partitions.Add(NewState(position));
            return;
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"{position.TopicPartition} is not assigned; Assign it before seeking.");
        }

        Stop(_partitions[index].Fetcher);
        _partitions[index] = NewState(position);
    }

    public Offset Position(TopicPartition partition)
    {
        var index = IndexOf(partition);
        if (index < 0)
        {
            return _unpositioned.Contains(partition) ? Offset.Unset : throw new InvalidOperationException($"{partition} is not assigned.");
        }

        var position = _partitions[index].KnownPosition;
        return position >= 0 ? position : Offset.Unset;
    }

    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout)
    {
        ThrowIfClosed();
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            PollGroup();
            if (TryTakeAny(out var result))
            {
                return result;
            }

            if (timeout == Timeout.InfiniteTimeSpan)
            {
                _queued.Wait();
                continue;
            }

            var remaining = timeout - Stopwatch.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            _ = remaining.TotalMilliseconds >= int.MaxValue ? _queued.Wait(Timeout.Infinite) : _queued.Wait(remaining);
        }
    }

    public ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        while (true)
        {
            PollGroup();
            if (TryTakeAny(out var result))
            {
                return result!;
            }

            _queued.Wait(cancellationToken);
        }
    }

    private bool TryTakeAny(out ConsumeResult<TKey, TValue>? result)
    {
        var count = _partitions.Count;
        for (var i = 0; i < count; i++)
        {
            var index = (_next + i) % count;
            if (_paused.Count > 0 && _paused.Contains(_partitions[index].TopicPartition))
            {
                continue;
            }

            try
            {
                if (_partitions[index].TryTake(out result))
                {
                    _next = (index + 1) % count;
                    return true;
                }
            }
            catch (ConsumeException)
            {
                _next = (index + 1) % count;
                throw;
            }
        }

        result = null;
        return false;
    }

    private PartitionState<TKey, TValue> NewState(TopicPartitionOffset position)
    {
        var offset = position.Offset.Value;
        if (offset < 0 && offset != Offset.BeginningValue && offset != Offset.EndValue)
        {
            throw new ArgumentException($"Offset {position.Offset} of {position.TopicPartition} is not an offset, Beginning or End.", nameof(position));
        }

        var fetcher = new PartitionFetcher(position.TopicPartition, offset, _config, _client, _time, () => _queued.Release());
        var decoder = new BatchDecoder<TKey, TValue>(position.TopicPartition, _keyDeserializer, _valueDeserializer, _config.CheckCrcs);
        var state = new PartitionState<TKey, TValue>(fetcher, decoder, offset);
        fetcher.Start();
        return state;
    }

    // The loop ends promptly (its waits observe the stop token); nothing waits for it here.
    private static void Stop(PartitionFetcher fetcher) => _ = fetcher.DisposeAsync().AsTask();

    private int IndexOf(TopicPartition partition)
    {
        for (var i = 0; i < _partitions.Count; i++)
        {
            if (_partitions[i].TopicPartition == partition)
            {
                return i;
            }
        }

        return -1;
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var partition in partitions)
        {
            if (!Assignment.Contains(partition))
            {
                throw new InvalidOperationException($"{partition} is not assigned; only assigned partitions can be paused.");
            }

            _paused.Add(partition);
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        _paused.ExceptWith(partitions);
    }

    public IReadOnlyList<TopicPartition> Paused => [.. _paused];

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    private void ThrowIfSubscribed()
    {
        if (_session is not null)
        {
            throw new InvalidOperationException("The consumer is subscribed to a group; Unsubscribe before assigning partitions by hand.");
        }
    }

    /// <summary>Commits (auto-commit), runs the revoked callback and leaves the group promptly, then stops fetching.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        try
        {
            if (_session is not null)
            {
                Unsubscribe();
            }
            else if (_config.EnableAutoCommit && _config.GroupId is not null && PositionsOf(Assignment) is { Count: > 0 } positions)
            {
                TryCommit(positions);
            }
        }
        finally
        {
            _closed = true;
            var stopping = _partitions.Select(p => p.Fetcher.DisposeAsync().AsTask()).ToArray();
            _partitions.Clear();
            _unpositioned.Clear();
            Task.WaitAll(stopping);
        }
    }

    public void Dispose()
    {
        Close();
        _queued.Dispose();
        _ownedClient?.Dispose();
    }
}
