using Orlog.Errors;
using Orlog.Log.Epochs;
using Xunit;
using static Orlog.Log.TestBatches;
using static Orlog.Log.Recovery.RecoveryScenario;

namespace Orlog.Log.Recovery;

/// <summary>The leader-epoch checkpoint across restarts, and its rebuild from the batches when damaged.</summary>
public sealed class LeaderEpochRecoveryTests
{
    [Fact]
    public async Task LeaderEpochs_SurviveACleanRestart()
    {
        using var directory = new TempDirectory();
        var log = PartitionLog.Open(directory.Path, OneSegment);
        var appended = AppendWithEpochs(log);
        EpochEntry[] expected = [new(0, 0), new(2, 6), new(5, 9)];
        Assert.Equal(expected, log.LeaderEpochs);
        await log.DisposeAsync();

        var reopened = PartitionLog.Open(directory.Path, OneSegment);
        try
        {
            Assert.Equal(expected, reopened.LeaderEpochs);
            Assert.Equal(new EpochEnd(2, 9), reopened.EndOffsetForEpoch(3));
            Assert.Equal(new EpochEnd(5, 15), reopened.EndOffsetForEpoch(5));
            Assert.Equal(appended, ReadAll(reopened));
        }
        finally
        {
            await reopened.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(EpochCheckpointDamage.Garbage, true)]
    [InlineData(EpochCheckpointDamage.LastLineLost, true)]
    [InlineData(EpochCheckpointDamage.Deleted, true)]
    [InlineData(EpochCheckpointDamage.Garbage, false)]
    [InlineData(EpochCheckpointDamage.LastLineLost, false)]
    [InlineData(EpochCheckpointDamage.Deleted, false)]
    public async Task DamagedLeaderEpochCheckpoint_IsRebuiltFromTheBatches(EpochCheckpointDamage damage, bool cleanShutdown)
    {
        using var original = new TempDirectory();
        var config = ThreeBatchesPerSegment();
        var log = PartitionLog.Open(original.Path, config);
        var appended = AppendWithEpochs(log);
        Assert.True(log.SegmentCount > 1);
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();
        var directory = cleanShutdown ? original.Path : crashed.Path;

        var path = Path.Combine(directory, LeaderEpochCache.FileName);
        switch (damage)
        {
            case EpochCheckpointDamage.Garbage:
                File.WriteAllText(path, "0\n3\n0 0\n2 six\n5 9\n");
                break;
            case EpochCheckpointDamage.LastLineLost:
                File.WriteAllText(path, "0\n3\n0 0\n2 6\n");
                break;
            default:
                File.Delete(path);
                break;
        }

        var reopened = PartitionLog.Open(directory, config);
        try
        {
            EpochEntry[] expected = [new(0, 0), new(2, 6), new(5, 9)];
            Assert.Equal(expected, reopened.LeaderEpochs);
            Assert.Equal(appended, ReadAll(reopened));
            Assert.Equal(ErrorCode.FencedLeaderEpoch, Assert.Throws<OrlogException>(() => reopened.Append(Build(1, 5, Timestamp), leaderEpoch: 4)).Code);
            Assert.Equal(15, reopened.Append(Build(1, 5, Timestamp), leaderEpoch: 5).FirstOffset);
        }
        finally
        {
            await reopened.DisposeAsync();
        }

        Assert.Equal(["0", "3", "0 0", "2 6", "5 9"], File.ReadAllLines(path));
    }
}
