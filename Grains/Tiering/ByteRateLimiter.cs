namespace Orlog.Tiering;

/// <summary>
/// Keeps a stream of transfers under a byte rate: each transfer reserves its share of the time
/// budget in order and waits until its turn. A rate of zero or less means no limit.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ByteRateLimiter(long bytesPerSecond, TimeProvider time)
{
    private readonly Lock _budget = new();
    private long _freeAt;

    /// <summary>Waits until <paramref name="bytes"/> more may move without passing the rate.</summary>
    public async Task WaitAsync(long bytes, CancellationToken cancellationToken)
    {
        if (bytesPerSecond <= 0)
        {
            return;
        }

        var now = time.GetTimestamp();
        var cost = bytes * time.TimestampFrequency / bytesPerSecond;
        long start;
        lock (_budget)
        {
            start = Math.Max(now, _freeAt);
            _freeAt = start + cost;
        }

        if (start > now)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)(start - now) / time.TimestampFrequency), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
