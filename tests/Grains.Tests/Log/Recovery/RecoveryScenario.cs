using Orlog.Records;
using Xunit;
using static Orlog.Log.TestBatches;

namespace Orlog.Log.Recovery;

/// <summary>
/// What the recovery tests share: how they write a log, where a batch lies on disk, and the
/// damage they do to it. A crash is simulated by copying the directory of an open log: the
/// copy holds every byte written so far and a checkpoint that says the log was not closed cleanly.
/// </summary>
internal static class RecoveryScenario
{
    public const long Timestamp = 1_700_000_000_000;
    public const int RecordsPerBatch = 3;

    public static readonly LogConfig OneSegment = new() { IndexIntervalBytes = 0, RetentionMs = -1 };

    /// <summary>segment.bytes that hold three of the batches <see cref="AppendBatches"/> writes, so twelve make four segments.</summary>
    public static LogConfig ThreeBatchesPerSegment() =>
        OneSegment with { SegmentBytes = (3 * Build(RecordsPerBatch, 40, Timestamp).Length) + 1 };

    /// <summary>Opens a log in <paramref name="directory"/>, appends <paramref name="count"/> batches and closes it cleanly; returns them as stored.</summary>
    public static async Task<List<byte[]>> WriteAndCloseAsync(string directory, LogConfig config, int count)
    {
        await using var log = PartitionLog.Open(directory, config);
        return AppendBatches(log, count);
    }

    /// <summary>Appends equal-sized batches of three records; returns them as stored (offsets and epoch stamped in place).</summary>
    public static List<byte[]> AppendBatches(PartitionLog log, int count)
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
    public static List<byte[]> AppendWithEpochs(PartitionLog log)
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
    public static void AssertEveryLookup(PartitionLog log, List<byte[]> appended)
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
    public static (string Path, long Position) Locate(string directory, List<byte[]> appended, int k)
    {
        var baseOffset = SegmentFileNames.ListBaseOffsets(directory).Last(b => b <= BaseOffset(appended[k]));
        long position = appended.Take(k).Where(b => BaseOffset(b) >= baseOffset).Sum(b => (long)b.Length);
        return (SegmentFileNames.LogPath(directory, baseOffset), position);
    }

    /// <summary>A byte inside the records section (covered by the CRC) or the low byte of the base offset (not covered).</summary>
    public static int ByteIn(Field field) =>
        field == Field.Records ? RecordBatchLayout.RecordsOffset + 5 : RecordBatchLayout.BaseOffsetOffset + 7;

    public static void Damage(string directory, long baseOffset, IndexDamage damage)
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

    public static void FlipByte(string path, long position)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[position] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    public static void TruncateFile(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }
}
