using Xunit;

namespace Orlog.Log.Files;

public sealed class FileHandleCacheTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void OpenHandles_StayWithinCapacity_AndAClosedFileReopensOnUse()
    {
        var cache = new FileHandleCache(capacity: 3);
        var files = Enumerable.Range(0, 10).Select(i => cache.Open(Path.Combine(_directory.Path, $"{i}.log"))).ToList();

        foreach (var file in files)
        {
            file.Write(0, [1, 2, 3]);
            Assert.InRange(cache.OpenCount, 1, 3);
        }

        Assert.False(files[0].IsHandleOpen);
        Assert.True(files[^1].IsHandleOpen);
        var buffer = new byte[3];
        Assert.Equal(3, files[0].Read(0, buffer));
        Assert.Equal([1, 2, 3], buffer);
        Assert.True(files[0].IsHandleOpen);
        Assert.InRange(cache.OpenCount, 1, 3);

        foreach (var file in files)
        {
            file.Dispose();
        }

        Assert.Equal(0, cache.OpenCount);
    }

    [Fact]
    public void SegmentFile_TracksLength_TruncatesAndDeletes()
    {
        var cache = new FileHandleCache();
        var path = Path.Combine(_directory.Path, "a.log");
        var file = cache.Open(path);

        file.Write(0, new byte[100]);
        file.Write(100, new byte[50]);
        Assert.Equal(150, file.Length);

        file.Truncate(60);
        file.Flush();
        Assert.Equal(60, file.Length);
        Assert.Equal(60, new FileInfo(path).Length);

        file.Delete();
        Assert.False(File.Exists(path));
        Assert.Throws<ObjectDisposedException>(() => file.Read(0, new byte[1]));
    }
}
