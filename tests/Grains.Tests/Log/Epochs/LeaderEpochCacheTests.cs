using Orlog.Errors;
using Xunit;

namespace Orlog.Log.Epochs;

public sealed class LeaderEpochCacheTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Assign_RecordsNewEpochs_IgnoresTheSame_AndFencesOlder()
    {
        var cache = LeaderEpochCache.Rebuild(_directory.Path, []);
        cache.Assign(0, 0);
        cache.Assign(0, 10);
        cache.Assign(2, 15);

        Assert.Equal([new EpochEntry(0, 0), new EpochEntry(2, 15)], cache.Entries);
        Assert.Equal(ErrorCode.FencedLeaderEpoch, Assert.Throws<OrlogException>(() => cache.Assign(1, 20)).Code);
    }

    [Fact]
    public void EndOffsetFor_GivesWhereAnEpochEnded()
    {
        var cache = LeaderEpochCache.Rebuild(_directory.Path, [new EpochEntry(0, 0), new EpochEntry(2, 15), new EpochEntry(5, 40)]);

        Assert.Equal(new EpochEnd(0, 15), cache.EndOffsetFor(0, 100));
        Assert.Equal(new EpochEnd(2, 40), cache.EndOffsetFor(3, 100));
        Assert.Equal(new EpochEnd(5, 100), cache.EndOffsetFor(7, 100));
        Assert.Equal(new EpochEnd(-1, -1), cache.EndOffsetFor(-1, 100));
    }

    [Fact]
    public void Truncation_FromEndAndStart_IsPersisted()
    {
        var cache = LeaderEpochCache.Rebuild(_directory.Path, [new EpochEntry(0, 0), new EpochEntry(2, 15), new EpochEntry(5, 40)]);

        cache.TruncateFromEnd(40);
        cache.TruncateFromStart(20);

        Assert.True(LeaderEpochCache.TryLoad(_directory.Path, out var loaded));
        Assert.Equal([new EpochEntry(2, 20)], loaded.Entries);
        Assert.Equal("0\n1\n2 20\n", File.ReadAllText(Path.Combine(_directory.Path, LeaderEpochCache.FileName)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1\n0\n")]
    [InlineData("0\n2\n0 0\n")]
    [InlineData("0\n2\n3 10\n1 20\n")]
    [InlineData("0\n1\nx 1\n")]
    public void TryLoad_RefusesAFileThatDoesNotParse(string content)
    {
        File.WriteAllText(Path.Combine(_directory.Path, LeaderEpochCache.FileName), content);

        Assert.False(LeaderEpochCache.TryLoad(_directory.Path, out _));
    }
}
