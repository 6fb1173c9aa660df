namespace Orlog.Log;

/// <summary>Replaces a small file all at once: write a temporary sibling, fsync it, rename it over the target.</summary>
/// <remarks>A crash leaves either the old content or the new, never a mix; a stray <c>.tmp</c> is ignored and cleaned up at open.</remarks>
internal static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + TempSuffix;
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// As <see cref="Write"/>, asynchronously; cancellation is honoured up to the rename, after
    /// which the new content is in place and must be reported as written.
    /// </summary>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var temp = path + TempSuffix;
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.Asynchronous))
        {
            await RandomAccess.WriteAsync(handle, content, 0, cancellationToken).ConfigureAwait(false);
            RandomAccess.FlushToDisk(handle);
        }

        cancellationToken.ThrowIfCancellationRequested();
        File.Move(temp, path, overwrite: true);
    }
}
