using System.Buffers;
using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using Orlog.Records;
using Xunit;

namespace Orlog.Log;

public sealed class PartitionLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Append_AssignsConsecutiveOffsets_AndStampsTheEpochInPlace()
    {
        await using var log = Open(new LogConfig());

        var first = log.Append(TestBatches.Build(5, 10, 1000), leaderEpoch: 3);
        var second = log.Append(TestBatches.Build(2, 10, 1001), leaderEpoch: 3);

        Assert.Equal((0, 4), (first.FirstOffset, first.LastOffset));
        Assert.Equal((5, 6), (second.FirstOffset, second.LastOffset));
        Assert.Equal(7, log.LogEndOffset);
        var stored = log.Read(5, 1 << 20).Records.ToArray();
        var header = new RecordBatchHeader(stored);
        Assert.Equal(5, header.BaseOffset);
        Assert.Equal(3, header.PartitionLeaderEpoch);
        Assert.True(RecordBatch.IsCrcValid(stored));
    }

    [Fact]
    public async Task Append_SeveralBatchesInOneCall_TakeOffsetsInOrder()
    {
        await using var log = Open(new LogConfig());
        var batches = TestBatches.Build(3, 10, 1000).Concat(TestBatches.Build(4, 10, 1000)).ToArray();

        var info = log.Append(batches);

        Assert.Equal((0, 6, 2), (info.FirstOffset, info.LastOffset, info.RecordBatchCount));
        var stored = log.Read(3, 1 << 20).Records.Span;
        Assert.Equal(3, new RecordBatchHeader(stored).BaseOffset);
    }

    [Fact]
    public async Task Append_RejectedBatches_StoreNothing()
    {
        await using var log = Open(new LogConfig { MaxMessageBytes = 500 });
        log.Append(TestBatches.Build(1, 10, 1000));
        var sizeBefore = log.Size;

        var badCrc = TestBatches.Build(2, 10, 1000);
        badCrc[^1] ^= 0xFF;
        var good = TestBatches.Build(2, 10, 1000);
        var goodThenBad = good.Concat(badCrc).ToArray();
        var tooLarge = TestBatches.Build(1, 600, 1000);

        Assert.Equal(ErrorCode.CorruptMessage, Assert.Throws<OrlogException>(() => log.Append(badCrc)).Code);
        Assert.Equal(ErrorCode.CorruptMessage, Assert.Throws<OrlogException>(() => log.Append(goodThenBad)).Code);
        Assert.Equal(ErrorCode.MessageTooLarge, Assert.Throws<OrlogException>(() => log.Append(tooLarge)).Code);
        Assert.Equal(ErrorCode.InvalidRecord, Assert.Throws<OrlogException>(() => log.Append([])).Code);
        Assert.Equal(1, log.LogEndOffset);
        Assert.Equal(sizeBefore, log.Size);
    }

    [Fact]
    public async Task Append_WithAnOlderEpoch_IsFenced()
    {
        await using var log = Open(new LogConfig());
        log.Append(TestBatches.Build(1, 10, 1000), leaderEpoch: 5);

        var error = Assert.Throws<OrlogException>(() => log.Append(TestBatches.Build(1, 10, 1000), leaderEpoch: 4));

        Assert.Equal(ErrorCode.FencedLeaderEpoch, error.Code);
        Assert.Equal(1, log.LogEndOffset);
    }

    [Fact]
    public async Task Append_UnderLogAppendTime_StampsTheBrokerTime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        await using var log = Open(new LogConfig { MessageTimestampType = TimestampType.LogAppendTime }, time);

        var info = log.Append(TestBatches.Build(2, 10, 1000));

        var stored = log.Read(0, 1 << 20).Records.ToArray();
        Assert.Equal(1_700_000_000_000, info.AppendTime);
        Assert.Equal(TimestampType.LogAppendTime, new RecordBatchHeader(stored).TimestampType);
        Assert.Equal(1_700_000_000_000, new RecordBatchHeader(stored).MaxTimestamp);
        Assert.True(RecordBatch.IsCrcValid(stored));
    }

    [Fact]
    public async Task Read_ReturnsWholeBatches_AndAtLeastOneEvenIfLargerThanMaxBytes()
    {
        await using var log = Open(new LogConfig());
        var sizes = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var batch = TestBatches.Build(4, 100, 1000 + i);
            sizes.Add(batch.Length);
            log.Append(batch);
        }

        var one = log.Read(0, 10).Records;
        var two = log.Read(0, sizes[0] + sizes[1] + (sizes[2] / 2)).Records;
        var fromMiddle = log.Read(6, 1).Records;

        Assert.Equal(sizes[0], one.Length);
        Assert.Equal(sizes[0] + sizes[1], two.Length);
        Assert.Equal(4, new RecordBatchHeader(fromMiddle.Span).BaseOffset);
    }

    [Fact]
    public async Task Read_IntoACallersBuffer_GivesTheSameBatches_AndAppendsAfterWhatIsThere()
    {
        await using var log = Open(new LogConfig { SegmentBytes = 2000, IndexIntervalBytes = 200 });
        for (var i = 0; i < 30; i++)
        {
            log.Append(TestBatches.Build(3, 60, 1000 + i));
        }

        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write<byte>([1, 2, 3]);
        foreach (var (offset, maxBytes) in new[] { (0L, 1), (7L, 700), (50L, 100_000), (89L, 1) })
        {
            buffer.ResetWrittenCount();
            var written = log.Read(offset, maxBytes, buffer, maxOffset: 80);

            Assert.Equal(log.Read(offset, maxBytes, maxOffset: 80).Records.ToArray(), buffer.WrittenSpan.ToArray());
            Assert.Equal(written, buffer.WrittenCount);
        }

        buffer.ResetWrittenCount();
        buffer.Write<byte>([9]);
        log.Read(0, 1, buffer);
        Assert.Equal(9, buffer.WrittenSpan[0]);
        Assert.Equal(0, new RecordBatchHeader(buffer.WrittenSpan[1..]).BaseOffset);
        Assert.Throws<OffsetOutOfRangeException>(() => log.Read(91, 100, buffer));
    }

    [Fact]
    public async Task Read_OutsideTheLog_ThrowsWithTheValidRange_AndAtTheEndIsEmpty()
    {
        await using var log = Open(new LogConfig());
        log.Append(TestBatches.Build(3, 10, 1000));

        var error = Assert.Throws<OffsetOutOfRangeException>(() => log.Read(4, 100));
        Assert.Equal((0, 3), (error.LogStartOffset, error.LogEndOffset));
        Assert.Throws<OffsetOutOfRangeException>(() => log.Read(-1, 100));
        Assert.Equal(ErrorCode.InvalidFetchSize, Assert.Throws<OrlogException>(() => log.Read(0, 0)).Code);
        Assert.True(log.Read(3, 100).Records.IsEmpty);
    }

    [Fact]
    public async Task Read_StopsBeforeMaxOffset()
    {
        await using var log = Open(new LogConfig());
        var first = TestBatches.Build(2, 10, 1000);
        log.Append(first);
        log.Append(TestBatches.Build(2, 10, 1000));

        Assert.Equal(first.Length, log.Read(0, 1 << 20, maxOffset: 2).Records.Length);
        Assert.True(log.Read(2, 1 << 20, maxOffset: 2).Records.IsEmpty);
        Assert.True(log.Read(0, 1 << 20, maxOffset: 1).Records.IsEmpty);
    }

    [Fact]
    public async Task Segments_RollBySize_AndReadsCrossThem()
    {
        await using var log = Open(new LogConfig { SegmentBytes = 1000, IndexIntervalBytes = 100 });
        for (var i = 0; i < 40; i++)
        {
            log.Append(TestBatches.Build(3, 50, 1000 + i));
        }

        Assert.True(log.SegmentCount > 5);
        for (long offset = 0; offset < 120; offset += 7)
        {
            var header = new RecordBatchHeader(log.Read(offset, 1).Records.Span);
            Assert.InRange(offset, header.BaseOffset, header.LastOffset);
        }
    }

    [Fact]
    public async Task Segments_RollByAge()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        await using var log = Open(new LogConfig { SegmentMs = 60_000 }, time);
        log.Append(TestBatches.Build(1, 10, 1_700_000_000_000));
        log.Append(TestBatches.Build(1, 10, 1_700_000_000_000));
        Assert.Equal(1, log.SegmentCount);

        time.Advance(TimeSpan.FromMinutes(1));
        log.Append(TestBatches.Build(1, 10, 1_700_000_060_000));

        Assert.Equal(2, log.SegmentCount);
    }

    [Fact]
    public async Task TryFindOffsetByTimestamp_FindsTheFirstRecordAtOrAfterTheTime()
    {
        await using var log = Open(new LogConfig { SegmentBytes = 600, IndexIntervalBytes = 64 });
        for (var i = 0; i < 30; i++)
        {
            log.Append(TestBatches.Build(3, 20, 10_000 + (i * 100)));
        }

        Assert.True(log.TryFindOffsetByTimestamp(0, out var first));
        Assert.True(log.TryFindOffsetByTimestamp(10_000 + (17 * 100) + 1, out var middle));
        Assert.False(log.TryFindOffsetByTimestamp(20_000, out _));

        Assert.Equal(new TimestampOffset(10_000, 0), first);
        Assert.Equal(new TimestampOffset(11_701, (17 * 3) + 1), middle);
    }

    [Fact]
    public async Task TruncateTo_RemovesTheBatchHoldingTheOffsetAndAllAfter()
    {
        await using var log = Open(new LogConfig { SegmentBytes = 500 });
        for (var i = 0; i < 20; i++)
        {
            log.Append(TestBatches.Build(2, 30, 1000 + i), leaderEpoch: i < 10 ? 0 : 1);
        }

        var end = log.TruncateTo(13);

        Assert.Equal(12, end);
        Assert.Equal(12, log.LogEndOffset);
        Assert.Equal(new Epochs.EpochEnd(0, 12), log.EndOffsetForEpoch(0));
        Assert.Equal(12, log.Append(TestBatches.Build(1, 10, 2000)).FirstOffset);
        Assert.Throws<OffsetOutOfRangeException>(() => log.Read(14, 100));
    }

    [Fact]
    public async Task TruncateTo_TheBaseOffsetOfASegment_LeavesALogThatTakesAppends()
    {
        await using var log = Open(new LogConfig { SegmentBytes = 300 });
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Build(2, 50, 1000 + i));
        }

        var secondSegmentBase = FirstOffsetOfSegment(log, 1);
        log.TruncateTo(secondSegmentBase);

        Assert.Equal(secondSegmentBase, log.LogEndOffset);
        Assert.Equal(secondSegmentBase, log.Append(TestBatches.Build(1, 10, 2000)).FirstOffset);
        Assert.Equal(secondSegmentBase, new RecordBatchHeader(log.Read(secondSegmentBase, 1).Records.Span).BaseOffset);
    }

    [Fact]
    public async Task TruncateTo_TheLogStartInsideABatch_EmptiesTheLogWithoutPassingItsStart()
    {
        await using var log = Open(new LogConfig());
        log.Append(TestBatches.Build(3, 10, 1000));
        log.Append(TestBatches.Build(3, 10, 1000));
        log.DeleteBefore(4);

        log.TruncateTo(4);

        Assert.Equal(3, log.LogEndOffset);
        Assert.Equal(3, log.LogStartOffset);
        Assert.True(log.Read(3, 100).Records.IsEmpty);
        Assert.Equal(3, log.Append(TestBatches.Build(1, 10, 2000)).FirstOffset);
    }

    [Fact]
    public async Task DeleteBefore_MovesTheLogStart_DeletesWholeSegments_AndSurvivesARestart()
    {
        var config = new LogConfig { SegmentBytes = 400 };
        await using (var log = Open(config))
        {
            for (var i = 0; i < 20; i++)
            {
                log.Append(TestBatches.Build(2, 30, 1000 + i));
            }

            var segments = log.SegmentCount;
            log.DeleteBefore(15);

            Assert.Equal(15, log.LogStartOffset);
            Assert.True(log.SegmentCount < segments);
            Assert.Throws<OffsetOutOfRangeException>(() => log.Read(14, 100));
            Assert.Equal(14, new RecordBatchHeader(log.Read(15, 1).Records.Span).BaseOffset);
            Assert.Throws<OffsetOutOfRangeException>(() => log.DeleteBefore(41));
        }

        await using var reopened = Open(config);
        Assert.Equal(15, reopened.LogStartOffset);
        Assert.Equal(40, reopened.LogEndOffset);
    }

    [Fact]
    public async Task Retention_DeletesClosedSegmentsPastRetentionBytesOrMs_NeverTheActiveOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        await using var log = Open(new LogConfig { SegmentBytes = 400, RetentionBytes = 1000, RetentionMs = 3_600_000 }, time);
        for (var i = 0; i < 20; i++)
        {
            log.Append(TestBatches.Build(2, 30, 1_700_000_000_000));
        }

        log.ApplyRetention();
        Assert.InRange(log.Size, 600, 1400);
        Assert.True(log.LogStartOffset > 0);

        time.Advance(TimeSpan.FromHours(2));
        log.ApplyRetention();

        Assert.Equal(1, log.SegmentCount);
        Assert.Equal(40, log.LogEndOffset);
        Assert.Equal(log.LogStartOffset, new RecordBatchHeader(log.Read(log.LogStartOffset, 1).Records.Span).BaseOffset);
    }

    [Fact]
    public async Task Restart_AfterACleanClose_KeepsEverything()
    {
        var config = new LogConfig { SegmentBytes = 700 };
        byte[] before;
        await using (var log = Open(config))
        {
            for (var i = 0; i < 15; i++)
            {
                log.Append(TestBatches.Build(2, 40, 1000 + i), leaderEpoch: 2);
            }

            before = log.Read(0, 1 << 20).Records.ToArray();
        }

        await using var reopened = Open(config);

        Assert.True(reopened.Recovery.CleanShutdown);
        Assert.Empty(reopened.Recovery.Scanned);
        Assert.Equal(30, reopened.LogEndOffset);
        Assert.Equal(before, reopened.Read(0, 1 << 20).Records.ToArray());
        Assert.Equal(30, reopened.Append(TestBatches.Build(1, 10, 2000), leaderEpoch: 2).FirstOffset);
    }

    private static long FirstOffsetOfSegment(PartitionLog log, int segment) =>
        SegmentFileNames.ListBaseOffsets(log.Directory)[segment];

    private PartitionLog Open(LogConfig config, TimeProvider? time = null) =>
        PartitionLog.Open(_directory.Path, config, new PartitionLogOptions { Time = time ?? TimeProvider.System });
}
