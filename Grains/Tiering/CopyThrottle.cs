namespace Orlog.Tiering;

/// <summary>The silo's limits on copying: how many copies at once, and how many bytes per second on average.</summary>
internal sealed class CopyThrottle(TieringOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentCopies, options.MaxConcurrentCopies);
    private readonly ByteRateLimiter _rate = new(options.MaxCopyBytesPerSecond, time);

    /// <summary>Runs one copy of <paramref name="bytes"/> bytes in a free slot, once the bandwidth limit lets that many bytes through.</summary>
    public async Task RunAsync(long bytes, Func<Task> copy, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _rate.WaitAsync(bytes, cancellationToken).ConfigureAwait(false);
            await copy().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
