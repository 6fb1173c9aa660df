using Orlog.Errors;
using Orlog.Log.Epochs;
using Orlog.Log.Files;
using Orlog.Records;
using Xunit;
using static Orlog.Log.TestBatches;

namespace Orlog.Log.Recovery;

/// <summary>
/// What <see cref="PartitionLog.Open"/> makes of a directory left by a crash, a torn or failed
/// write, flipped bits, or damaged side files (indexes, checkpoints). A crash is simulated by
/// copying the directory of an open log: the copy holds every byte written so far and a
/// checkpoint that says the log was not closed cleanly.
/// </summary>
public sealed class RecoveryTests
{
    private const long Timestamp = 1_700_000_000_000;
    private const int RecordsPerBatch = 3;

    private static readonly LogConfig OneSegment = new() { IndexIntervalBytes = 0, RetentionMs = -1 };

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
            Assert.Equal(new EpochEntry(1, 3), recovered.EndOffsetForEpoch(3));
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
        var log = PartitionLog.Open(directory.Path, config);
        var appended = AppendBatches(log, count: 12);
        await log.DisposeAsync();
        Damage(directory.Path, baseOffset: 9, damage);

        var reopened = PartitionLog.Open(directory.Path, config);
        try
        {
            Assert.True(reopened.Recovery.CleanShutdown);
            Assert.Empty(reopened.Recovery.Scanned);
            Assert.False(reopened.Recovery.LostData);
            AssertEveryLookup(reopened, appended);
        }
        finally
        {
            await reopened.DisposeAsync();
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
        var log = PartitionLog.Open(directory.Path, config);
        var appended = AppendBatches(log, count: 11);
        await log.DisposeAsync();
        Damage(directory.Path, baseOffset: 27, damage);

        var reopened = PartitionLog.Open(directory.Path, config);
        try
        {
            Assert.True(reopened.Recovery.CleanShutdown);
            Assert.False(reopened.Recovery.LostData);
            Assert.Equal(NextOffset(appended[^1]), reopened.LogEndOffset);
            AssertEveryLookup(reopened, appended);

            // RecoveryReport.IndexesRebuilt counts "segments whose index files were missing or damaged
            // and were rebuilt from the log"; opening the active segment rebuilt its indexes.
            Assert.Equal(1, reopened.Recovery.IndexesRebuilt);
        }
        finally
        {
            await reopened.DisposeAsync();
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

        var reopened = PartitionLog.Open(directory.Path, config);
        try
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
        finally
        {
            await reopened.DisposeAsync();
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
        var log = PartitionLog.Open(directory.Path, config);
        var appended = AppendBatches(log, count: 11);
        await log.DisposeAsync();
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

        var reopened = PartitionLog.Open(directory.Path, config);
        try
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
        finally
        {
            await reopened.DisposeAsync();
        }

        Assert.True(PartitionCheckpoint.TryRead(directory.Path, out var rewritten));
        Assert.True(rewritten.CleanShutdown);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(100)]
    public async Task TornWrite_LatchesTheLog_AndReopeningKeepsTheWholeBatches(int bytesWritten)
    {
        using var directory = new TempDirectory();
        var files = new List<FaultyLogFile>();
        var options = new PartitionLogOptions { Files = FaultyLogFile.Factory(new FileHandleCache(), files) };
        var log = PartitionLog.Open(directory.Path, OneSegment, options);
        byte[][] kept;
        try
        {
            kept = [.. AppendBatches(log, count: 2)];
            var file = Assert.Single(files);
            var goodLength = file.Length;
            file.TearNextWrite(bytesWritten);

            var failed = Assert.Throws<OrlogException>(() => log.Append(Build(RecordsPerBatch, 40, Timestamp + 100)));
            Assert.Equal(ErrorCode.KafkaStorageError, failed.Code);
            Assert.IsType<IOException>(failed.InnerException);
            Assert.Equal(goodLength + bytesWritten, file.Length);
            Assert.Equal(6, log.LogEndOffset);

            // Latched: later appends fail at once and never reach the file, even once the disk is healthy.
            file.Heal();
            var writes = file.Writes;
            for (var i = 0; i < 3; i++)
            {
                var again = Assert.Throws<OrlogException>(() => log.Append(Build(1, 5, Timestamp + 200)));
                Assert.Equal(ErrorCode.KafkaStorageError, again.Code);
            }

            Assert.Equal(writes, file.Writes);
            Assert.Equal(goodLength + bytesWritten, file.Length);
            var durability = await Assert.ThrowsAsync<OrlogException>(() => log.Durability.WaitAsync(5, TestContext.Current.CancellationToken).AsTask());
            Assert.Equal(ErrorCode.KafkaStorageError, durability.Code);
            Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<OrlogException>(() => log.Flush()).Code);

            // What was stored before the failure can still be read.
            Assert.Equal(kept, ReadAll(log));
            Assert.Equal(kept[1], Assert.Single(Split(log.Read(4, 1).Records.Span)));
        }
        finally
        {
            await log.DisposeAsync();
        }

        var reopened = PartitionLog.Open(directory.Path, OneSegment);
        try
        {
            Assert.False(reopened.Recovery.CleanShutdown);
            Assert.Equal(bytesWritten > 0, reopened.Recovery.LostData);
            Assert.Equal(bytesWritten, reopened.Recovery.BytesTruncated);
            Assert.Equal(6, reopened.LogEndOffset);
            Assert.Equal(kept, ReadAll(reopened));
            Assert.Equal(6, reopened.Append(Build(1, 5, Timestamp + 300)).FirstOffset);
        }
        finally
        {
            await reopened.DisposeAsync();
        }
    }

    [Fact]
    public async Task FailedFsync_UnderEveryBatchFlush_LatchesTheLog()
    {
        using var directory = new TempDirectory();
        var files = new List<FaultyLogFile>();
        var options = new PartitionLogOptions { Files = FaultyLogFile.Factory(new FileHandleCache(), files) };
        var config = OneSegment with { FlushMode = FlushMode.EveryBatch };
        var log = PartitionLog.Open(directory.Path, config, options);
        byte[] first;
        try
        {
            first = AppendBatches(log, count: 1)[0];
            var file = Assert.Single(files);
            Assert.Equal(1, file.Flushes);
            await log.Durability.WaitAsync(2, TestContext.Current.CancellationToken);
            file.FailFlush = true;

            var failed = Assert.Throws<OrlogException>(() => log.Append(Build(RecordsPerBatch, 40, Timestamp + 100)));
            Assert.Equal(ErrorCode.KafkaStorageError, failed.Code);
            var durability = await Assert.ThrowsAsync<OrlogException>(() => log.Durability.WaitAsync(5, TestContext.Current.CancellationToken).AsTask());
            Assert.Equal(ErrorCode.KafkaStorageError, durability.Code);

            file.Heal();
            var (writes, length) = (file.Writes, file.Length);
            var again = Assert.Throws<OrlogException>(() => log.Append(Build(1, 5, Timestamp + 200)));
            Assert.Equal(ErrorCode.KafkaStorageError, again.Code);
            Assert.Equal((writes, length), (file.Writes, file.Length));
            Assert.Equal(first, ReadAll(log)[0]);
        }
        finally
        {
            await log.DisposeAsync();
        }

        // The second batch reached the page cache but was never acknowledged as durable: recovery
        // may keep it or not, but what it keeps is whole batches from the start.
        var reopened = PartitionLog.Open(directory.Path, config);
        try
        {
            Assert.False(reopened.Recovery.CleanShutdown);
            var batches = ReadAll(reopened);
            Assert.InRange(batches.Count, 1, 2);
            Assert.Equal(first, batches[0]);
        }
        finally
        {
            await reopened.DisposeAsync();
        }
    }

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
            Assert.Equal(new EpochEntry(2, 9), reopened.EndOffsetForEpoch(3));
            Assert.Equal(new EpochEntry(5, 15), reopened.EndOffsetForEpoch(5));
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

    public enum Field
    {
        Records,
        BaseOffset,
    }

    public enum IndexDamage
    {
        OffsetIndexDeleted,
        OffsetIndexTruncated,
        OffsetIndexGarbage,
        TimeIndexDeleted,
        TimeIndexGarbage,
    }

    public enum CheckpointDamage
    {
        FlippedByte,
        Truncated,
        Deleted,
    }

    public enum EpochCheckpointDamage
    {
        Garbage,
        LastLineLost,
        Deleted,
    }

    /// <summary>segment.bytes that hold three of the batches <see cref="AppendBatches"/> writes, so twelve make four segments.</summary>
    private static LogConfig ThreeBatchesPerSegment() =>
        OneSegment with { SegmentBytes = (3 * Build(RecordsPerBatch, 40, Timestamp).Length) + 1 };

    /// <summary>Appends equal-sized batches of three records; returns them as stored (offsets and epoch stamped in place).</summary>
    private static List<byte[]> AppendBatches(PartitionLog log, int count)
    {
        var appended = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var batch = Build(RecordsPerBatch, 40, Timestamp + (i * 10));
            log.Append(batch);
            appended.Add(batch);
        }

        return appended;
    }

    /// <summary>Two batches in epoch 0, one in epoch 2, two in epoch 5: epochs start at offsets 0, 6 and 9.</summary>
    private static List<byte[]> AppendWithEpochs(PartitionLog log)
    {
        var appended = new List<byte[]>();
        foreach (var (epoch, i) in new[] { (0, 0), (0, 1), (2, 2), (5, 3), (5, 4) })
        {
            var batch = Build(RecordsPerBatch, 40, Timestamp + (i * 10));
            log.Append(batch, epoch);
            Assert.Equal(epoch, new RecordBatchHeader(batch).PartitionLeaderEpoch);
            appended.Add(batch);
        }

        return appended;
    }

    /// <summary>Every offset finds its batch, and every record's timestamp finds that record.</summary>
    private static void AssertEveryLookup(PartitionLog log, List<byte[]> appended)
    {
        Assert.Equal(appended, ReadAll(log, maxBytes: 1));
        Assert.Equal(appended, ReadAll(log));
        foreach (var batch in appended)
        {
            foreach (var (offset, timestamp) in RecordTimestamps(batch))
            {
                Assert.Equal(batch, Assert.Single(Split(log.Read(offset, 1).Records.Span)));
                Assert.True(log.TryFindOffsetByTimestamp(timestamp, out var found));
                Assert.Equal(new TimestampOffset(timestamp, offset), found);
            }
        }

        Assert.False(log.TryFindOffsetByTimestamp(RecordTimestamps(appended[^1])[^1].Timestamp + 1, out _));
    }

    /// <summary>The segment file holding batch <paramref name="k"/> and the batch's position in it.</summary>
    private static (string Path, long Position) Locate(string directory, List<byte[]> appended, int k)
    {
        var baseOffset = SegmentFileNames.ListBaseOffsets(directory).Last(b => b <= BaseOffset(appended[k]));
        long position = appended.Take(k).Where(b => BaseOffset(b) >= baseOffset).Sum(b => (long)b.Length);
        return (SegmentFileNames.LogPath(directory, baseOffset), position);
    }

    /// <summary>A byte inside the records section (covered by the CRC) or the low byte of the base offset (not covered).</summary>
    private static int ByteIn(Field field) =>
        field == Field.Records ? RecordBatchLayout.RecordsOffset + 5 : RecordBatchLayout.BaseOffsetOffset + 7;

    private static void Damage(string directory, long baseOffset, IndexDamage damage)
    {
        var index = SegmentFileNames.IndexPath(directory, baseOffset);
        var timeIndex = SegmentFileNames.TimeIndexPath(directory, baseOffset);
        Assert.True(File.Exists(index));
        Assert.True(File.Exists(timeIndex));
        switch (damage)
        {
            case IndexDamage.OffsetIndexDeleted:
                File.Delete(index);
                break;
            case IndexDamage.OffsetIndexTruncated:
                TruncateFile(index, new FileInfo(index).Length - 5);
                break;
            case IndexDamage.OffsetIndexGarbage:
                File.WriteAllBytes(index, [.. Enumerable.Range(0, (int)new FileInfo(index).Length).Select(i => (byte)(i * 37))]);
                break;
            case IndexDamage.TimeIndexDeleted:
                File.Delete(timeIndex);
                break;
            default:
                FlipByte(timeIndex, (int)new FileInfo(timeIndex).Length - 1);
                break;
        }
    }

    private static void FlipByte(string path, long position)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[position] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    private static void TruncateFile(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }
}
