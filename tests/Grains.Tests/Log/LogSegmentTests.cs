using Orlog.Log.Files;
using Orlog.Records;
using Xunit;

namespace Orlog.Log;

public sealed class LogSegmentTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FileHandleCache _files = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Create_NamesFilesByBaseOffsetInTwentyDigits()
    {
        using var segment = LogSegment.Create(_directory.Path, 42, 4096, _files.Open);

        Assert.Equal(_directory.Combine("00000000000000000042.log"), segment.LogPath);
        Assert.True(segment.IsEmpty);
        Assert.Equal(42, segment.NextOffset);
    }

    [Fact]
    public void TryFindBatch_FindsTheBatchHoldingAnyOffset_ThroughTheSparseIndex()
    {
        using var segment = Filled(baseOffset: 100, batches: 50, indexInterval: 256);

        for (long offset = 100; offset < 100 + (50 * 3); offset++)
        {
            Assert.True(segment.TryFindBatch(offset, out var batch));
            Assert.InRange(offset, batch.BaseOffset, batch.LastOffset);
        }

        Assert.False(segment.TryFindBatch(250, out _));
    }

    [Fact]
    public void Read_ReturnsWholeBatchesWithinMaxBytesAndMaxOffset()
    {
        using var segment = Filled(baseOffset: 0, batches: 10, indexInterval: 4096);
        Assert.True(segment.TryFindBatch(0, out var first));

        var oneBatch = segment.Read(first, maxBytes: 1, maxOffset: long.MaxValue);
        var threeBatches = segment.Read(first, maxBytes: (first.Size * 3) + 10, maxOffset: long.MaxValue);
        var boundedByOffset = segment.Read(first, maxBytes: 1 << 20, maxOffset: 6);

        Assert.Equal(first.Size, oneBatch.Length);
        Assert.Equal(first.Size * 3, threeBatches.Length);
        Assert.Equal(2, TestBatches.Split(boundedByOffset.Span).Count);
    }

    [Fact]
    public void TruncateTo_CutsAtTheBatchHoldingTheOffset()
    {
        using var segment = Filled(baseOffset: 0, batches: 10, indexInterval: 100);
        var sizeOfFour = segment.Size / 10 * 4;

        var removed = segment.TruncateTo(13);

        Assert.Equal(12, segment.NextOffset);
        Assert.Equal(sizeOfFour, segment.Size);
        Assert.True(removed > 0);
        Assert.False(segment.TryFindBatch(12, out _));
    }

    [Fact]
    public void Close_SavesIndexes_WhichAClosedSegmentLoadsLazily_OrRebuildsWhenMissing()
    {
        using (var segment = Filled(baseOffset: 0, batches: 40, indexInterval: 200))
        {
            segment.Close();
        }

        Assert.True(File.Exists(_directory.Combine("00000000000000000000.index")));
        Assert.True(File.Exists(_directory.Combine("00000000000000000000.timeindex")));
        using (var closed = LogSegment.OpenClosed(_directory.Path, 0, 120, 200, _files.Open))
        {
            Assert.True(closed.TryFindBatch(77, out var batch));
            Assert.InRange(77, batch.BaseOffset, batch.LastOffset);
            Assert.Equal(0, closed.IndexRebuilds);
            Assert.Equal(1000 + 39 + 2, closed.GetLargestTimestamp());
        }

        File.Delete(_directory.Combine("00000000000000000000.index"));
        using var rebuilt = LogSegment.OpenClosed(_directory.Path, 0, 120, 200, _files.Open);
        Assert.True(rebuilt.TryFindBatch(77, out var again));
        Assert.InRange(77, again.BaseOffset, again.LastOffset);
        Assert.Equal(1, rebuilt.IndexRebuilds);
        rebuilt.Dispose();

        using var afterRebuild = LogSegment.OpenClosed(_directory.Path, 0, 120, 200, _files.Open);
        Assert.True(afterRebuild.TryFindBatch(77, out _));
        Assert.Equal(0, afterRebuild.IndexRebuilds);
        Assert.Equal(1000 + 39 + 2, afterRebuild.GetLargestTimestamp());
    }

    [Fact]
    public void OpenActive_WithVerify_CutsATornTail()
    {
        long wholeSize;
        using (var segment = Filled(baseOffset: 0, batches: 5, indexInterval: 4096))
        {
            wholeSize = segment.Size;
        }

        using (var file = File.OpenWrite(_directory.Combine("00000000000000000000.log")))
        {
            file.Seek(0, SeekOrigin.End);
            file.Write(TestBatches.Build(3, 20, 5000).AsSpan(0, 30));
        }

        using var reopened = LogSegment.OpenActive(_directory.Path, 0, 4096, _files.Open, verify: true, out var recovery);

        Assert.Equal(wholeSize, reopened.Size);
        Assert.Equal(15, reopened.NextOffset);
        Assert.Equal(30, recovery.TruncatedBytes);
        Assert.Equal(ScanStop.Torn, recovery.Stop);
        Assert.Equal(5, recovery.ValidBatches);
    }

    private LogSegment Filled(long baseOffset, int batches, int indexInterval)
    {
        var segment = LogSegment.Create(_directory.Path, baseOffset, indexInterval, _files.Open);
        var next = baseOffset;
        for (var i = 0; i < batches; i++)
        {
            var batch = TestBatches.Build(3, 20, 1000 + i);
            RecordBatch.StampBaseOffset(batch, next);
            segment.Append(batch, now: 0);
            next += 3;
        }

        return segment;
    }
}
