namespace Orlog.Benchmarks.Infrastructure;

/// <summary>
/// Where the benchmarks put their logs and files: <c>$ORLOG_BENCH_DIR</c>, or
/// <c>/tmp/orlog-bench</c>. It must be on the disk under test, not a tmpfs.
/// </summary>
internal static class BenchDirectory
{
    public const string Variable = "ORLOG_BENCH_DIR";
    public const string DefaultRoot = "/tmp/orlog-bench";

    public static string Root
    {
        get
        {
            var root = Environment.GetEnvironmentVariable(Variable);
            return Path.GetFullPath(string.IsNullOrWhiteSpace(root) ? DefaultRoot : root);
        }
    }

    /// <summary>An empty directory <paramref name="name"/> under the root, wiping what a previous run left.</summary>
    public static string Fresh(string name)
    {
        var path = Path.Combine(Root, name);
        Delete(path);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>The file system type of the root (ext4, xfs, tmpfs, …), for the report and to refuse a RAM disk.</summary>
    public static string FileSystemType()
    {
        Directory.CreateDirectory(Root);
        return new DriveInfo(Root).DriveFormat;
    }

    /// <summary>Prints where the benchmarks write; fails when that is a RAM disk, whose figures would say nothing about the disk.</summary>
    public static void Describe(TextWriter output)
    {
        var type = FileSystemType();
        var drive = new DriveInfo(Root);
        output.WriteLine($"Bench directory: {Root} ({type}, {drive.AvailableFreeSpace / (1L << 30)} GiB free)");
        if (type is "tmpfs" or "ramfs")
        {
            throw new InvalidOperationException($"{Root} is on {type}, a RAM disk; set {Variable} to a directory on the disk to measure.");
        }
    }
}
