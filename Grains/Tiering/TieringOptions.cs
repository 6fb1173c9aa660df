namespace Orlog.Tiering;

/// <summary>Settings of the silo's tiering: how often it looks for segments to copy, and how hard it may push.</summary>
public sealed class TieringOptions
{
    public const int DefaultCheckIntervalMs = 5_000;
    public const int DefaultMaxConcurrentCopies = 2;
    public const long DefaultMaxCopyBytesPerSecond = -1;
    public const int DefaultReadChunkBytes = 1024 * 1024;
    public const int DefaultReadCacheChunks = 64;
    public const long DefaultMaxReadBytesPerSecond = -1;

    /// <summary>How often closed segments are looked for, copied, and remote retention applied. Default 5 s.</summary>
    public int CheckIntervalMs { get; set; } = DefaultCheckIntervalMs;

    /// <summary>Most segment copies under way at once in this silo. Default 2.</summary>
    public int MaxConcurrentCopies { get; set; } = DefaultMaxConcurrentCopies;

    /// <summary>Most bytes per second this silo uploads, averaged over each copy; -1 (default) for no limit.</summary>
    public long MaxCopyBytesPerSecond { get; set; } = DefaultMaxCopyBytesPerSecond;

    /// <summary>How much a remote read fetches at once (read-ahead for a consumer catching up). Default 1 MiB.</summary>
    public int ReadChunkBytes { get; set; } = DefaultReadChunkBytes;

    /// <summary>How many read chunks the silo keeps (least recently used go first). Default 64 (64 MiB).</summary>
    public int ReadCacheChunks { get; set; } = DefaultReadCacheChunks;

    /// <summary>
    /// Most bytes per second this silo reads from the remote tier (Kafka's
    /// <c>remote.log.manager.fetch.max.bytes.per.second</c>): caps what consumers catching up from
    /// the remote tier take from the silo, so produce latency stays steady; -1 (default) for no limit.
    /// </summary>
    public long MaxReadBytesPerSecond { get; set; } = DefaultMaxReadBytesPerSecond;

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (CheckIntervalMs <= 0 || MaxConcurrentCopies <= 0 || MaxCopyBytesPerSecond is 0 or < -1 || MaxReadBytesPerSecond is 0 or < -1 || ReadChunkBytes < 64 * 1024 || ReadCacheChunks <= 0)
        {
            throw new ArgumentException("Tiering options out of range: CheckIntervalMs, MaxConcurrentCopies and ReadCacheChunks must be positive, MaxCopyBytesPerSecond and MaxReadBytesPerSecond positive or -1, ReadChunkBytes at least 64 KiB.");
        }
    }
}
