namespace Orlog.Log.Flush;

/// <summary>
/// The "durable up to" mark of a log and the awaitable that lets an appender ack on
/// durability: <see cref="WaitAsync"/> completes once every offset up to the one asked for is
/// on stable storage as the flush policy defines it, or faults with the log's storage error.
/// </summary>
/// <remarks>
/// Thread-safe. One shared completion source per flush wakes every waiter of that flush
/// (group commit); waiters whose offset is still not covered wait for the next one. The
/// source is replaced only when someone waits, so an advance with no waiter (every append
/// under <c>flush.policy=os</c>) allocates nothing. A waiter reads the source, raises the
/// flag, then re-checks the mark; an advance moves the mark, then takes the flag down. With
/// both steps interlocked, either the advance sees the flag or the waiter sees the new mark.
/// </remarks>
public sealed class DurabilityTracker
{
    private long _durableEnd;
    private TaskCompletionSource _advanced = NewSource();
    private Exception? _failure;
    private int _hasWaiters;

    public DurabilityTracker(long durableEnd)
    {
        _durableEnd = durableEnd;
    }

    /// <summary>The first offset not yet durable: everything below it is.</summary>
    public long DurableEndOffset => Volatile.Read(ref _durableEnd);

    /// <summary>Completes when <paramref name="offset"/> and everything before it are durable.</summary>
    public ValueTask WaitAsync(long offset, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            return ValueTask.FromException(failure);
        }

        return DurableEndOffset > offset ? ValueTask.CompletedTask : WaitSlowAsync(offset, cancellationToken);
    }

    /// <summary>Moves the mark forward (never back) and wakes the waiters.</summary>
    public void Advance(long durableEnd)
    {
        long current;
        do
        {
            current = Volatile.Read(ref _durableEnd);
            if (durableEnd <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _durableEnd, durableEnd, current) != current);

        if (Interlocked.Exchange(ref _hasWaiters, 0) == 1)
        {
            Interlocked.Exchange(ref _advanced, NewSource()).TrySetResult();
        }
    }

    /// <summary>Pulls the mark back after a truncation removed data above it.</summary>
    public void Reset(long durableEnd)
    {
        Volatile.Write(ref _durableEnd, Math.Min(Volatile.Read(ref _durableEnd), durableEnd));
    }

    /// <summary>Fails every current and future waiter with the log's latched storage error.</summary>
    public void Fail(Exception failure)
    {
        Volatile.Write(ref _failure, failure);
        Interlocked.Exchange(ref _advanced, NewSource()).TrySetException(failure);
    }

    private async ValueTask WaitSlowAsync(long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            var advanced = Volatile.Read(ref _advanced);
            Interlocked.Exchange(ref _hasWaiters, 1);
            if (Volatile.Read(ref _failure) is { } failure)
            {
                throw failure;
            }

            if (DurableEndOffset > offset)
            {
                return;
            }

            await advanced.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
