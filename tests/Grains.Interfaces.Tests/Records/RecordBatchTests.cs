using Xunit;

namespace Orlog.Records;

public class RecordBatchTests
{
    [Fact]
    public void StampBaseOffset_SetsTheOffset_AndKeepsTheCrcValid()
    {
        var batch = BatchBytes.Build(CompressionType.Gzip, new(1, null, null), new(2, null, null));
        var crc = new RecordBatchHeader(batch).Crc;

        RecordBatch.StampBaseOffset(batch, 77);

        var header = new RecordBatchHeader(batch);
        Assert.Equal(77, header.BaseOffset);
        Assert.Equal(78, header.LastOffset);
        Assert.Equal(crc, header.Crc);
        Assert.True(RecordBatch.IsCrcValid(batch));
    }

    [Fact]
    public void StampPartitionLeaderEpoch_SetsTheEpoch_AndKeepsTheCrcValid()
    {
        var batch = BatchBytes.OneRecord();

        RecordBatch.StampPartitionLeaderEpoch(batch, 9);

        Assert.Equal(9, new RecordBatchHeader(batch).PartitionLeaderEpoch);
        Assert.True(RecordBatch.IsCrcValid(batch));
    }

    [Fact]
    public void StampLogAppendTime_SetsTheMaxTimestampAndType_AndRewritesTheCrc()
    {
        var batch = BatchBytes.Build(CompressionType.Zstd, new(1, null, null), new(2, null, null));
        var crc = new RecordBatchHeader(batch).Crc;

        RecordBatch.StampLogAppendTime(batch, 123_456);

        var header = new RecordBatchHeader(batch);
        Assert.Equal(123_456, header.MaxTimestamp);
        Assert.Equal(1, header.BaseTimestamp);
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(CompressionType.Zstd, header.Compression);
        Assert.NotEqual(crc, header.Crc);
        Assert.True(RecordBatch.IsCrcValid(batch));
        RecordBatchValidator.Validate(batch, int.MaxValue);
    }

    [Fact]
    public void IsCrcValid_FailsWhenACoveredByteChanges()
    {
        var batch = BatchBytes.OneRecord();

        batch[^1] ^= 0x01;

        Assert.False(RecordBatch.IsCrcValid(batch));
    }
}
