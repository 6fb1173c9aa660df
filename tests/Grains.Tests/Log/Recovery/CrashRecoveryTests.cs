using Orlog.Log.Epochs;
using Xunit;
using static Orlog.Log.TestBatches;
using static Orlog.Log.Recovery.RecoveryScenario;

namespace Orlog.Log.Recovery;

/// <summary>What opening a log makes of the directory a crash left: torn tails, flipped bytes, zeroed pages.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task TornWrite_AtEveryBytePosition_RecoversTheWholeBatches()
    {
        using var original = new TempDirectory();
        var log = PartitionLog.Open(original.Path, OneSegment);
        var appended = AppendBatches(log, count: 5);
        Assert.Equal(appended, ReadAll(log));
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();

        var segmentLength = new FileInfo(SegmentFileNames.LogPath(crashed.Path, 0)).Length;
        var lastStart = segmentLength - appended[^1].Length;
        var lastBase = BaseOffset(appended[^1]);
        for (var length = lastStart; length < segmentLength; length++)
        {
            using var torn = TempDirectory.CopyOf(crashed.Path);
            TruncateFile(SegmentFileNames.LogPath(torn.Path, 0), length);

            var recovered = PartitionLog.Open(torn.Path, OneSegment);
            byte[] next;
            try
            {
                var report = recovered.Recovery;
                Assert.False(report.CleanShutdown);
                Assert.Equal(lastBase, recovered.LogEndOffset);
                Assert.Equal(appended[..^1], ReadAll(recovered));
                Assert.Equal(length > lastStart, report.LostData);
                Assert.Equal(length - lastStart, report.BytesTruncated);
                Assert.Equal(0, report.SegmentsDeleted);
                var scanned = Assert.Single(report.Scanned);
                Assert.Equal(length > lastStart ? ScanStop.Torn : ScanStop.End, scanned.Stop);
                Assert.Equal(lastStart, scanned.ValidBytes);
                Assert.Equal(appended.Count - 1, scanned.ValidBatches);
                Assert.Equal(lastStart, new FileInfo(SegmentFileNames.LogPath(torn.Path, 0)).Length);

                next = Build(2, 7, Timestamp + 1000);
                var info = recovered.Append(next);
                Assert.Equal(lastBase, info.FirstOffset);
                Assert.Equal(lastBase + 2, recovered.LogEndOffset);
            }
            finally
            {
                await recovered.DisposeAsync();
            }

            var reopened = PartitionLog.Open(torn.Path, OneSegment);
            try
            {
                Assert.True(reopened.Recovery.CleanShutdown);
                Assert.False(reopened.Recovery.LostData);
                Assert.Empty(reopened.Recovery.Scanned);
                Assert.Equal([.. appended[..^1], next], ReadAll(reopened));
            }
            finally
            {
                await reopened.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(0, Field.Records)]
    [InlineData(2, Field.Records)]
    [InlineData(4, Field.Records)]
    [InlineData(0, Field.BaseOffset)]
    [InlineData(2, Field.BaseOffset)]
    [InlineData(4, Field.BaseOffset)]
    public async Task FlippedByte_InBatchK_AfterACrash_KeepsExactlyTheBatchesBefore(int k, Field field)
    {
        using var original = new TempDirectory();
        var log = PartitionLog.Open(original.Path, OneSegment);
        var appended = AppendBatches(log, count: 5);
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();

        var (path, position) = Locate(crashed.Path, appended, k);
        var segmentLength = new FileInfo(path).Length;
        FlipByte(path, position + ByteIn(field));

        var recovered = PartitionLog.Open(crashed.Path, OneSegment);
        try
        {
            var report = recovered.Recovery;
            Assert.Equal(BaseOffset(appended[k]), recovered.LogEndOffset);
            Assert.Equal(appended[..k], ReadAll(recovered));
            Assert.True(report.LostData);
            Assert.Equal(segmentLength - position, report.BytesTruncated);
            Assert.Equal(0, report.SegmentsDeleted);
            var scanned = Assert.Single(report.Scanned);
            Assert.Equal(ScanStop.Corrupt, scanned.Stop);
            Assert.Equal(k, scanned.ValidBatches);
            Assert.Equal(position, scanned.ValidBytes);
            Assert.Equal(segmentLength - position, scanned.TruncatedBytes);
            Assert.NotEmpty(scanned.Reason);

            var next = Build(1, 5, Timestamp + 1000);
            Assert.Equal(BaseOffset(appended[k]), recovered.Append(next).FirstOffset);
            Assert.Equal([.. appended[..k], next], ReadAll(recovered));
        }
        finally
        {
            await recovered.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(Field.Records)]
    [InlineData(Field.BaseOffset)]
    public async Task FlippedByte_InAClosedSegmentPastTheRecoveryPoint_DeletesTheLaterSegments(Field field)
    {
        using var original = new TempDirectory();
        var config = ThreeBatchesPerSegment();
        var log = PartitionLog.Open(original.Path, config);
        var appended = AppendBatches(log, count: 12);
        Assert.Equal(4, log.SegmentCount);
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();

        // The fourth batch is the second of the second segment.
        const int k = 4;
        var (path, position) = Locate(crashed.Path, appended, k);
        var bases = SegmentFileNames.ListBaseOffsets(crashed.Path);
        Assert.Equal([0, 9, 18, 27], bases);
        Assert.True(PartitionCheckpoint.TryRead(crashed.Path, out var checkpoint));
        Assert.False(checkpoint.CleanShutdown);
        Assert.True(checkpoint.RecoveryPoint < bases[2], "the damaged segment lies past the recovery point");
        var lengths = bases.Select(b => new FileInfo(SegmentFileNames.LogPath(crashed.Path, b)).Length).ToArray();
        FlipByte(path, position + ByteIn(field));

        var recovered = PartitionLog.Open(crashed.Path, config);
        try
        {
            var report = recovered.Recovery;
            Assert.Equal(BaseOffset(appended[k]), recovered.LogEndOffset);
            Assert.Equal(appended[..k], ReadAll(recovered));
            Assert.Equal(2, recovered.SegmentCount);
            Assert.Equal([0, 9], SegmentFileNames.ListBaseOffsets(crashed.Path));
            Assert.False(File.Exists(SegmentFileNames.IndexPath(crashed.Path, 18)));
            Assert.False(File.Exists(SegmentFileNames.TimeIndexPath(crashed.Path, 27)));
            Assert.True(report.LostData);
            Assert.Equal(2, report.SegmentsDeleted);
            Assert.Equal(lengths[1] - position + lengths[2] + lengths[3], report.BytesTruncated);
            var damaged = Assert.Single(report.Scanned, s => s.Stop == ScanStop.Corrupt);
            Assert.Equal(9, damaged.BaseOffset);
            Assert.Equal(1, damaged.ValidBatches);
            Assert.Equal(position, damaged.ValidBytes);
            Assert.DoesNotContain(report.Scanned, s => s.BaseOffset > 9);

            var next = Build(1, 5, Timestamp + 1000);
            Assert.Equal(BaseOffset(appended[k]), recovered.Append(next).FirstOffset);
            Assert.Equal([.. appended[..k], next], ReadAll(recovered));
        }
        finally
        {
            await recovered.DisposeAsync();
        }

        var reopened = PartitionLog.Open(crashed.Path, config);
        try
        {
            Assert.True(reopened.Recovery.CleanShutdown);
            Assert.False(reopened.Recovery.LostData);
            Assert.Equal(BaseOffset(appended[k]) + 1, reopened.LogEndOffset);
        }
        finally
        {
            await reopened.DisposeAsync();
        }
    }

    [Fact]
    public async Task TornTail_OfAClosedSegment_WhoseFsyncNeverHappened_DeletesTheLaterSegments()
    {
        using var original = new TempDirectory();
        var config = ThreeBatchesPerSegment();
        var log = PartitionLog.Open(original.Path, config);
        var appended = AppendBatches(log, count: 12);
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();

        // A power cut before the background fsync of a rolled segment can lose its tail even
        // though later segments made it to disk.
        var (path, position) = Locate(crashed.Path, appended, 5);
        TruncateFile(path, position + 20);

        var recovered = PartitionLog.Open(crashed.Path, config);
        try
        {
            Assert.Equal(BaseOffset(appended[5]), recovered.LogEndOffset);
            Assert.Equal(appended[..5], ReadAll(recovered));
            Assert.Equal(2, recovered.Recovery.SegmentsDeleted);
            Assert.Equal(ScanStop.Torn, Assert.Single(recovered.Recovery.Scanned, s => s.BaseOffset == 9).Stop);
            Assert.Equal([0, 9], SegmentFileNames.ListBaseOffsets(crashed.Path));
            Assert.Equal(BaseOffset(appended[5]), recovered.Append(Build(1, 5, Timestamp + 1000)).FirstOffset);
        }
        finally
        {
            await recovered.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(4096)]
    public async Task ZeroFilledTail_AfterACrash_IsCutOff(int zeros)
    {
        using var original = new TempDirectory();
        var log = PartitionLog.Open(original.Path, OneSegment);
        var appended = AppendBatches(log, count: 3);
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();
        using (var stream = new FileStream(SegmentFileNames.LogPath(crashed.Path, 0), FileMode.Append))
        {
            stream.Write(new byte[zeros]);
        }

        var recovered = PartitionLog.Open(crashed.Path, OneSegment);
        try
        {
            Assert.Equal(9, recovered.LogEndOffset);
            Assert.Equal(appended, ReadAll(recovered));
            Assert.Equal(zeros, recovered.Recovery.BytesTruncated);
            Assert.NotEqual(ScanStop.End, Assert.Single(recovered.Recovery.Scanned).Stop);
            Assert.Equal(9, recovered.Append(Build(1, 5, Timestamp + 1000)).FirstOffset);
        }
        finally
        {
            await recovered.DisposeAsync();
        }
    }

    [Fact]
    public async Task TornFirstBatchOfANewEpoch_AfterACrash_ForgetsTheEpoch()
    {
        using var original = new TempDirectory();
        var log = PartitionLog.Open(original.Path, OneSegment);
        var kept = Build(RecordsPerBatch, 40, Timestamp);
        log.Append(kept, leaderEpoch: 1);
        var torn = Build(RecordsPerBatch, 40, Timestamp + 10);
        log.Append(torn, leaderEpoch: 3);
        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(3, 3)], log.LeaderEpochs);
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();
        TruncateFile(SegmentFileNames.LogPath(crashed.Path, 0), kept.Length + (torn.Length / 2));

        var recovered = PartitionLog.Open(crashed.Path, OneSegment);
        try
        {
            Assert.Equal(3, recovered.LogEndOffset);
            Assert.Equal([new EpochEntry(1, 0)], recovered.LeaderEpochs);
            Assert.Equal(new EpochEnd(1, 3), recovered.EndOffsetForEpoch(3));
            recovered.Append(Build(1, 5, Timestamp + 20), leaderEpoch: 4);
            Assert.Equal([new EpochEntry(1, 0), new EpochEntry(4, 3)], recovered.LeaderEpochs);
        }
        finally
        {
            await recovered.DisposeAsync();
        }
    }

    [Fact]
    public async Task Crash_AfterARecoveryCheckpoint_ScansOnlyTheActiveSegment()
    {
        using var original = new TempDirectory();
        var config = ThreeBatchesPerSegment();
        var log = PartitionLog.Open(original.Path, config);
        var appended = AppendBatches(log, count: 12);
        log.Flush();
        log.WriteRecoveryCheckpoint();
        using var crashed = TempDirectory.CopyOf(original.Path);
        await log.DisposeAsync();

        var recovered = PartitionLog.Open(crashed.Path, config);
        try
        {
            Assert.False(recovered.Recovery.CleanShutdown);
            var scanned = Assert.Single(recovered.Recovery.Scanned);
            Assert.Equal(27, scanned.BaseOffset);
            Assert.Equal(ScanStop.End, scanned.Stop);
            Assert.False(recovered.Recovery.LostData);
            Assert.Equal(appended, ReadAll(recovered));
        }
        finally
        {
            await recovered.DisposeAsync();
        }
    }
}
