using Xunit;

namespace Orlog.Records;

public class RecordBatchHeaderTests
{
    [Fact]
    public void Accessors_ReportWhatTheBuilderWrote()
    {
        var builder = new RecordBatchBuilder
        {
            BaseOffset = 100,
            PartitionLeaderEpoch = 3,
            Compression = CompressionType.Snappy,
            IsTransactional = true,
            ProducerId = 12345,
            ProducerEpoch = 2,
            BaseSequence = 17,
        };
        builder.Append(500, null, "a"u8.ToArray());
        builder.Append(700, null, "b"u8.ToArray());
        builder.Append(600, null, "c"u8.ToArray());
        var batch = builder.Build();

        var header = new RecordBatchHeader(batch);

        Assert.Equal(100, header.BaseOffset);
        Assert.Equal(batch.Length - RecordBatchLayout.LogOverhead, header.BatchLength);
        Assert.Equal(batch.Length, header.SizeInBytes);
        Assert.Equal(3, header.PartitionLeaderEpoch);
        Assert.Equal(RecordBatchLayout.CurrentMagic, header.Magic);
        Assert.Equal(RecordBatch.ComputeCrc(batch), header.Crc);
        Assert.Equal(CompressionType.Snappy, header.Compression);
        Assert.Equal(TimestampType.CreateTime, header.TimestampType);
        Assert.True(header.IsTransactional);
        Assert.False(header.IsControl);
        Assert.Equal((short)(0x10 | 2), header.Attributes);
        Assert.Equal(2, header.LastOffsetDelta);
        Assert.Equal(102, header.LastOffset);
        Assert.Equal(103, header.NextOffset);
        Assert.Equal(500, header.BaseTimestamp);
        Assert.Equal(700, header.MaxTimestamp);
        Assert.Equal(12345, header.ProducerId);
        Assert.Equal(2, header.ProducerEpoch);
        Assert.Equal(17, header.BaseSequence);
        Assert.Equal(3, header.RecordsCount);
    }

    [Fact]
    public void Accessors_ReportTheBuilderDefaults()
    {
        var header = new RecordBatchHeader(BatchBytes.OneRecord());

        Assert.Equal(0, header.BaseOffset);
        Assert.Equal(-1, header.PartitionLeaderEpoch);
        Assert.Equal(CompressionType.None, header.Compression);
        Assert.Equal(TimestampType.CreateTime, header.TimestampType);
        Assert.False(header.IsTransactional);
        Assert.Equal(-1, header.ProducerId);
        Assert.Equal(-1, header.ProducerEpoch);
        Assert.Equal(-1, header.BaseSequence);
    }

    [Fact]
    public void Accessors_ReportLogAppendTime()
    {
        var builder = new RecordBatchBuilder { TimestampType = TimestampType.LogAppendTime };
        builder.Append(1, null, null);

        var header = new RecordBatchHeader(builder.Build());

        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(RecordBatchLayout.TimestampTypeMask, header.Attributes);
    }

    [Fact]
    public void Constructor_RefusesASpanShorterThanAHeader()
    {
        var batch = BatchBytes.OneRecord();

        Assert.Throws<ArgumentException>(() => new RecordBatchHeader(batch.AsSpan(0, RecordBatchLayout.HeaderSize - 1)));
    }
}
