using Orlog.Errors;

namespace Orlog.Client;

/// <summary>
/// The producer's <c>buffer.memory</c>: a byte budget that records reserve when they are appended
/// and give back when their batch is acknowledged or fails. A reservation that does not fit waits,
/// first come first served, up to <c>max.block.ms</c>, then fails with REQUEST_TIMED_OUT.
/// </summary>
/// <remarks>Thread-safe. The fast path (space available, nobody waiting) allocates nothing.</remarks>
internal sealed class BufferMemory
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly TimeProvider _time;
    private long _available;

    public BufferMemory(long total, TimeProvider time)
    {
        Total = total;
        _available = total;
        _time = time;
    }

    public long Total { get; }

    public long Available
    {
        get
        {
            lock (_lock)
            {
                return _available;
            }
        }
    }

    public int WaiterCount
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <exception cref="OrlogException">
    /// MESSAGE_TOO_LARGE when <paramref name="size"/> exceeds the whole budget; REQUEST_TIMED_OUT (on
    /// the returned task) when the space did not free up within <paramref name="maxBlock"/>.
    /// </exception>
    public ValueTask ReserveAsync(long size, TimeSpan maxBlock, CancellationToken cancellationToken)
    {
        if (size > Total)
        {
            throw new OrlogException(
                ErrorCode.MessageTooLarge,
                $"A record of about {size} bytes does not fit in the producer's buffer of {Total} bytes (BufferMemory); raise BufferMemory.");
        }

        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _available >= size)
            {
                _available -= size;
                return default;
            }

            if (maxBlock <= TimeSpan.Zero)
            {
                throw Full(size, maxBlock);
            }

            waiter = new Waiter(this, size, maxBlock);
            waiter.Node = _waiters.AddLast(waiter);
            waiter.Timer = _time.CreateTimer(static s => ((Waiter)s!).TimedOut(), waiter, maxBlock, Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (s, token) => ((Waiter)s!).Cancelled(token), waiter);
        }

        return new ValueTask(waiter.Task);
    }

    public void Release(long size)
    {
        if (size == 0)
        {
            return;
        }

        List<Waiter>? granted = null;
        lock (_lock)
        {
            _available += size;
            Grant(ref granted);
        }

        Complete(granted);
    }

    // Under the lock: hand space to the waiters at the head, in order, while it lasts.
    private void Grant(ref List<Waiter>? granted)
    {
        while (_waiters.First is { } head && head.Value.Size <= _available)
        {
            _available -= head.Value.Size;
            _waiters.RemoveFirst();
            head.Value.Node = null;
            (granted ??= []).Add(head.Value);
        }
    }

    private static void Complete(List<Waiter>? granted)
    {
        if (granted is null)
        {
            return;
        }

        foreach (var waiter in granted)
        {
            waiter.Dispose();
            if (!waiter.TrySetResult())
            {
                // Cancelled in the same instant: the space was taken for it, so give it back.
                waiter.Owner.Release(waiter.Size);
            }
        }
    }

    private bool Remove(Waiter waiter, out List<Waiter>? granted)
    {
        granted = null;
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return false;
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;

            // A large waiter at the head may have held back smaller ones behind it.
            Grant(ref granted);
            return true;
        }
    }

    private OrlogException Full(long size, TimeSpan maxBlock) => new(
        ErrorCode.RequestTimedOut,
        $"The producer's buffer ({Total} bytes, BufferMemory) had no room for {size} more bytes within {maxBlock.TotalMilliseconds:0} ms (MaxBlockMs): "
        + "records are produced faster than the cluster acknowledges them. Slow down, raise BufferMemory or MaxBlockMs, or check the brokers.");

    private sealed class Waiter(BufferMemory owner, long size, TimeSpan maxBlock) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public BufferMemory Owner => owner;

        public long Size => size;

        public LinkedListNode<Waiter>? Node { get; set; }

        public ITimer? Timer { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void TimedOut()
        {
            if (owner.Remove(this, out var granted))
            {
                Dispose();
                TrySetException(owner.Full(size, maxBlock));
            }

            Complete(granted);
        }

        public void Cancelled(CancellationToken token)
        {
            if (owner.Remove(this, out var granted))
            {
                Dispose();
                TrySetCanceled(token);
            }

            Complete(granted);
        }

        public void Dispose()
        {
            Timer?.Dispose();
            Registration.Dispose();
        }
    }
}
