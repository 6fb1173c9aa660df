namespace Orlog.Log;

/// <summary>A fresh directory under the system temp path, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orlog-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>
    /// Copies every file of <paramref name="directory"/> into a new temp directory. Taken while a
    /// log is open, the copy is what a process crash leaves behind: every byte the log wrote
    /// went to the page cache, and its checkpoint says it was not closed cleanly.
    /// </summary>
    public static TempDirectory CopyOf(string directory)
    {
        var copy = new TempDirectory();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            File.Copy(file, System.IO.Path.Combine(copy.Path, System.IO.Path.GetFileName(file)));
        }

        return copy;
    }

    /// <summary>A path inside the directory.</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
