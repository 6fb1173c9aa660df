using Orlog.Errors;
using Orlog.Log.Epochs;
using Xunit;

namespace Orlog.Log;

/// <summary>The log operations replication needs: follower appends, fencing, epochs, restarting empty.</summary>
public sealed class PartitionLogReplicationTests : IDisposable
{
    private readonly TempDirectory _leaderDirectory = new();
    private readonly TempDirectory _followerDirectory = new();

    public void Dispose()
    {
        _leaderDirectory.Dispose();
        _followerDirectory.Dispose();
    }

    [Fact]
    public async Task AppendAsFollower_StoresTheLeadersBatchesAsTheyAre_AndTakesTheirEpochs()
    {
        await using var leader = PartitionLog.Open(_leaderDirectory.Path, new LogConfig());
        await using var follower = PartitionLog.Open(_followerDirectory.Path, new LogConfig());
        leader.Append(TestBatches.Build(3, 10, 1000), leaderEpoch: 0);
        leader.BeginEpoch(2);
        leader.Append(TestBatches.Build(2, 10, 1000), leaderEpoch: 2);

        follower.AppendAsFollower(leader.Read(0, 1 << 20).Records.Span);

        Assert.Equal(5, follower.LogEndOffset);
        Assert.Equal(TestBatches.ReadAll(leader), TestBatches.ReadAll(follower));
        Assert.Equal([new EpochEntry(0, 0), new EpochEntry(2, 3)], follower.LeaderEpochs);
    }

    [Fact]
    public async Task AppendAsFollower_NotAtTheLogEnd_StoresNothing()
    {
        await using var leader = PartitionLog.Open(_leaderDirectory.Path, new LogConfig());
        await using var follower = PartitionLog.Open(_followerDirectory.Path, new LogConfig());
        leader.Append(TestBatches.Build(3, 10, 1000));
        leader.Append(TestBatches.Build(2, 10, 1000));

        var error = Assert.Throws<OrlogException>(() => follower.AppendAsFollower(leader.Read(3, 1 << 20).Records.Span));

        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.Equal(0, follower.LogEndOffset);
    }

    [Fact]
    public async Task Fence_RefusesAppendsFromOlderEpochs_AndBeginEpochRecordsWhereTheEpochStarts()
    {
        await using var log = PartitionLog.Open(_leaderDirectory.Path, new LogConfig());
        log.Append(TestBatches.Build(2, 10, 1000), leaderEpoch: 1);

        log.Fence(3);
        var stale = Assert.Throws<OrlogException>(() => log.Append(TestBatches.Build(1, 10, 1000), leaderEpoch: 1));
        log.BeginEpoch(3);

        Assert.Equal(ErrorCode.FencedLeaderEpoch, stale.Code);
        Assert.Equal(2, log.LogEndOffset);
        Assert.Equal(new EpochEntry(3, 2), log.LeaderEpochs[^1]);
        Assert.Equal(new EpochEnd(1, 2), log.EndOffsetForEpoch(2));
        Assert.True(log.Leads);
    }

    [Fact]
    public async Task TruncateFullyAndStartAt_EmptiesTheLog_AndAppendsContinueThere()
    {
        await using var leader = PartitionLog.Open(_leaderDirectory.Path, new LogConfig());
        await using (var follower = PartitionLog.Open(_followerDirectory.Path, new LogConfig()))
        {
            follower.Append(TestBatches.Build(4, 10, 1000));
            for (var i = 0; i < 3; i++)
            {
                leader.Append(TestBatches.Build(5, 10, 1000));
            }

            follower.TruncateFullyAndStartAt(10);
            follower.AppendAsFollower(leader.Read(10, 1 << 20).Records.Span);
        }

        await using var reopened = PartitionLog.Open(_followerDirectory.Path, new LogConfig());
        Assert.Equal((10, 15), (reopened.LogStartOffset, reopened.LogEndOffset));
        Assert.Equal(TestBatches.ReadAll(leader)[^1], Assert.Single(TestBatches.ReadAll(reopened)));
    }

    [Fact]
    public async Task TheHighWatermark_NeverPassesTheLogEnd_AndATruncationPullsItBack()
    {
        await using var log = PartitionLog.Open(_leaderDirectory.Path, new LogConfig());
        log.Append(TestBatches.Build(3, 10, 1000));
        log.HighWatermark = 5;
        var beyondEnd = log.HighWatermark;

        log.TruncateTo(1);
        log.Append(TestBatches.Build(4, 10, 1000));

        Assert.Equal(3, beyondEnd);
        Assert.Equal(0, log.HighWatermark);
    }
}
