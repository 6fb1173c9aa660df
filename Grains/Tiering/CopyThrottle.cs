namespace Orlog.Tiering;

/// <summary>The silo's limits on copying: how many copies at once, and how many bytes per second on average.</summary>
internal sealed class CopyThrottle(TieringOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentCopies, options.MaxConcurrentCopies);

    /// <summary>Runs one copy of <paramref name="bytes"/> bytes in a free slot; under a bandwidth limit the slot is held until the copy has taken as long as the limit needs.</summary>
    public async Task RunAsync(long bytes, Func<Task> copy, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = time.GetTimestamp();
            await copy().ConfigureAwait(false);
            if (options.MaxCopyBytesPerSecond > 0)
            {
                var due = TimeSpan.FromSeconds((double)bytes / options.MaxCopyBytesPerSecond) - time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
