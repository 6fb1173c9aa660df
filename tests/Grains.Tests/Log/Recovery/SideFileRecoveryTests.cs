using Orlog.Log.Files;
using Xunit;
using static Orlog.Log.TestBatches;
using static Orlog.Log.Recovery.RecoveryScenario;

namespace Orlog.Log.Recovery;

/// <summary>Damaged or missing indexes and checkpoints, after clean and unclean stops.</summary>
public sealed class SideFileRecoveryTests
{
    [Theory]
    [InlineData(IndexDamage.OffsetIndexDeleted)]
    [InlineData(IndexDamage.OffsetIndexTruncated)]
    [InlineData(IndexDamage.OffsetIndexGarbage)]
    [InlineData(IndexDamage.TimeIndexDeleted)]
    [InlineData(IndexDamage.TimeIndexGarbage)]
    public async Task DamagedIndex_OfAClosedSegment_IsRebuiltAndLookupsStayRight(IndexDamage damage)
    {
        using var directory = new TempDirectory();
        var config = ThreeBatchesPerSegment() with { IndexIntervalBytes = 1 };
        var appended = await WriteAndCloseAsync(directory.Path, config, count: 12);
        Damage(directory.Path, baseOffset: 9, damage);

        await using (var reopened = PartitionLog.Open(directory.Path, config))
        {
            Assert.True(reopened.Recovery.CleanShutdown);
            Assert.Empty(reopened.Recovery.Scanned);
            Assert.False(reopened.Recovery.LostData);
            AssertEveryLookup(reopened, appended);
        }

        // The partition log does not expose its segments: open the damaged one on its own to see
        // that the lookups above rebuilt its indexes from the log and saved them, whole again.
        using var segment = LogSegment.OpenClosed(directory.Path, 9, 18, config.IndexIntervalBytes, new FileHandleCache().Open);
        Assert.True(segment.TryFindBatch(13, out var found));
        Assert.Equal(12, found.BaseOffset);
        Assert.Equal(0, segment.IndexRebuilds);
    }

    [Theory]
    [InlineData(IndexDamage.OffsetIndexDeleted)]
    [InlineData(IndexDamage.OffsetIndexGarbage)]
    [InlineData(IndexDamage.TimeIndexDeleted)]
    public async Task DamagedIndex_OfTheActiveSegment_AfterACleanShutdown_IsRebuiltAndReported(IndexDamage damage)
    {
        using var directory = new TempDirectory();
        var config = ThreeBatchesPerSegment() with { IndexIntervalBytes = 1 };
        var appended = await WriteAndCloseAsync(directory.Path, config, count: 11);
        Damage(directory.Path, baseOffset: 27, damage);

        await using (var reopened = PartitionLog.Open(directory.Path, config))
        {
            Assert.True(reopened.Recovery.CleanShutdown);
            Assert.False(reopened.Recovery.LostData);
            Assert.Equal(NextOffset(appended[^1]), reopened.LogEndOffset);
            AssertEveryLookup(reopened, appended);

            // RecoveryReport.IndexesRebuilt counts "segments whose index files were missing or damaged
            // and were rebuilt from the log"; opening the active segment rebuilt its indexes.
            Assert.Equal(1, reopened.Recovery.IndexesRebuilt);
        }
    }

    [Fact]
    public async Task CleanShutdown_ReopensWithoutScanning_AtTheSameOffsets()
    {
        using var directory = new TempDirectory();
        var config = ThreeBatchesPerSegment();
        var log = PartitionLog.Open(directory.Path, config);
        var appended = AppendBatches(log, count: 11);
        log.DeleteBefore(10);
        var (start, end, segments) = (log.LogStartOffset, log.LogEndOffset, log.SegmentCount);
        await log.DisposeAsync();
        Assert.True(PartitionCheckpoint.TryRead(directory.Path, out var checkpoint));
        Assert.Equal(new PartitionCheckpoint(true, end, 10), checkpoint);

        await using (var reopened = PartitionLog.Open(directory.Path, config))
        {
            var report = reopened.Recovery;
            Assert.True(report.CleanShutdown);
            Assert.Empty(report.Scanned);
            Assert.False(report.LostData);
            Assert.Equal(0, report.BytesTruncated);
            Assert.Equal(0, report.IndexesRebuilt);
            Assert.Equal((start, end), (report.LogStartOffset, report.LogEndOffset));
            Assert.Equal((start, end, segments), (reopened.LogStartOffset, reopened.LogEndOffset, reopened.SegmentCount));
            Assert.Equal(appended[3..], ReadAll(reopened));
            Assert.Equal(BaseOffset(appended[3]), BaseOffset(reopened.Read(10, 1).Records.ToArray()));
        }
    }

    [Theory]
    [InlineData(CheckpointDamage.FlippedByte)]
    [InlineData(CheckpointDamage.Truncated)]
    [InlineData(CheckpointDamage.Deleted)]
    public async Task DamagedCheckpoint_IsTreatedAsAnUncleanStop_AndTheDataSurvives(CheckpointDamage damage)
    {
        using var directory = new TempDirectory();
        var config = ThreeBatchesPerSegment();
        var appended = await WriteAndCloseAsync(directory.Path, config, count: 11);
        var checkpoint = Path.Combine(directory.Path, PartitionCheckpoint.FileName);
        switch (damage)
        {
            case CheckpointDamage.FlippedByte:
                FlipByte(checkpoint, 5);
                break;
            case CheckpointDamage.Truncated:
                TruncateFile(checkpoint, 20);
                break;
            default:
                File.Delete(checkpoint);
                break;
        }

        await using (var reopened = PartitionLog.Open(directory.Path, config))
        {
            var report = reopened.Recovery;
            Assert.False(report.CleanShutdown);
            Assert.Equal([0, 9, 18, 27], report.Scanned.Select(s => s.BaseOffset));
            Assert.All(report.Scanned, s => Assert.Equal(ScanStop.End, s.Stop));
            Assert.Equal(appended.Count, report.Scanned.Sum(s => s.ValidBatches));
            Assert.False(report.LostData);
            Assert.Equal(appended, ReadAll(reopened));
            Assert.Equal(NextOffset(appended[^1]), reopened.LogEndOffset);
        }

        Assert.True(PartitionCheckpoint.TryRead(directory.Path, out var rewritten));
        Assert.True(rewritten.CleanShutdown);
    }
}
