using Xunit;

namespace Orlog.Log.Index;

public class TimeIndexTests
{
    [Fact]
    public void MaybeAppend_KeepsOnlyGrowingTimestamps()
    {
        var index = new TimeIndex(0);
        index.MaybeAppend(1000, 10);
        index.MaybeAppend(1000, 20);
        index.MaybeAppend(900, 30);
        index.MaybeAppend(1500, 40);

        Assert.Equal(2, index.Count);
        Assert.Equal(1500, index.LastTimestamp);
    }

    [Fact]
    public void LookupScanStart_IsTheLastEntryBelowTheTarget()
    {
        var index = new TimeIndex(100);
        index.MaybeAppend(1000, 110);
        index.MaybeAppend(2000, 120);
        index.MaybeAppend(3000, 130);

        Assert.Equal(100, index.LookupScanStart(1000));
        Assert.Equal(110, index.LookupScanStart(1001));
        Assert.Equal(120, index.LookupScanStart(3000));
        Assert.Equal(130, index.LookupScanStart(long.MaxValue));
    }

    [Fact]
    public void SaveAndLoad_RoundTrips_AndDamageIsDetected()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "a.timeindex");
        var index = new TimeIndex(0);
        index.MaybeAppend(1000, 10);
        index.MaybeAppend(2000, 20);
        index.Save(path);

        Assert.True(TimeIndex.TryLoad(path, 0, out var loaded, out _));
        Assert.Equal(2000, loaded.LastTimestamp);
        Assert.Equal(10, loaded.LookupScanStart(1500));

        var bytes = File.ReadAllBytes(path);
        bytes[15] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.False(TimeIndex.TryLoad(path, 0, out _, out _));
    }

    [Fact]
    public void TruncateTo_DropsEntriesAtOrAboveTheOffset()
    {
        var index = new TimeIndex(0);
        index.MaybeAppend(1000, 10);
        index.MaybeAppend(2000, 20);

        index.TruncateTo(15);

        Assert.Equal(1000, index.LastTimestamp);
    }
}
