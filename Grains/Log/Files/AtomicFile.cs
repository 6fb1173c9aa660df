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
}
