using Xunit;

namespace Orlog.Log.Index;

public class OffsetIndexTests
{
    [Fact]
    public void Lookup_ReturnsTheLastEntryAtOrBelowTheTarget()
    {
        var index = new OffsetIndex(100);
        index.Append(110, 4096);
        index.Append(125, 8200);
        index.Append(140, 12300);

        Assert.Equal(new OffsetPosition(100, 0), index.Lookup(105));
        Assert.Equal(new OffsetPosition(110, 4096), index.Lookup(110));
        Assert.Equal(new OffsetPosition(125, 8200), index.Lookup(139));
        Assert.Equal(new OffsetPosition(140, 12300), index.Lookup(long.MaxValue));
    }

    [Fact]
    public void Append_RefusesEntriesThatDoNotGrow()
    {
        var index = new OffsetIndex(0);
        index.Append(10, 100);

        Assert.Throws<InvalidOperationException>(() => index.Append(10, 200));
        Assert.Throws<InvalidOperationException>(() => index.Append(11, 100));
    }

    [Fact]
    public void TruncateTo_DropsEntriesAtOrAboveTheOffset()
    {
        var index = new OffsetIndex(0);
        index.Append(10, 100);
        index.Append(20, 200);
        index.Append(30, 300);

        index.TruncateTo(20);

        Assert.Equal(1, index.Count);
        Assert.Equal(new OffsetPosition(10, 100), index.Lookup(25));
    }

    [Fact]
    public void SaveAndLoad_RoundTrips()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "a.index");
        var index = new OffsetIndex(1000);
        for (var i = 1; i <= 50; i++)
        {
            index.Append(1000 + (i * 7), i * 4096);
        }

        index.Save(path);

        Assert.True(OffsetIndex.TryLoad(path, 1000, 51 * 4096, out var loaded, out _));
        Assert.Equal(50, loaded.Count);
        Assert.Equal(index.Lookup(1000 + 200), loaded.Lookup(1000 + 200));
    }

    [Fact]
    public void TryLoad_RefusesMissingTruncatedCorruptOrOutOfRangeFiles()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "a.index");
        var index = new OffsetIndex(0);
        index.Append(5, 4096);
        index.Append(9, 8192);

        Assert.False(OffsetIndex.TryLoad(path, 0, 10_000, out _, out var missing));
        Assert.Equal("missing", missing);

        index.Save(path);
        Assert.False(OffsetIndex.TryLoad(path, 0, 8192, out _, out var pastEnd));
        Assert.Contains("past the log end", pastEnd, StringComparison.Ordinal);

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        Assert.False(OffsetIndex.TryLoad(path, 0, 10_000, out _, out _));

        bytes[^1] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.False(OffsetIndex.TryLoad(path, 0, 10_000, out _, out var corrupt));
        Assert.Equal("checksum mismatch", corrupt);
    }
}
