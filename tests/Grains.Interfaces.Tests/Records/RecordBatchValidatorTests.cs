using Orlog.Errors;
using Xunit;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

public class RecordBatchValidatorTests
{
    [Fact]
    public void Validate_SummarizesBackToBackBatches()
    {
        var first = BatchBytes.Build(CompressionType.None, new(10, null, null), new(30, null, null));
        var second = BatchBytes.Build(CompressionType.Lz4, new ProducerRecord(20, null, null));

        var summary = RecordBatchValidator.Validate([.. first, .. second], 1_000_000);

        Assert.Equal(2, summary.BatchCount);
        Assert.Equal(3, summary.RecordCount);
        Assert.Equal(30, summary.MaxTimestamp);
        Assert.Equal(first.Length + second.Length, summary.SizeInBytes);
    }

    [Fact]
    public void Validate_RefusesEmptyInput() =>
        AssertRefused([], ErrorCode.InvalidRecord);

    [Fact]
    public void Validate_RefusesFewerBytesThanAHeader() =>
        AssertRefused(BatchBytes.OneRecord()[..(HeaderSize - 1)], ErrorCode.CorruptMessage);

    [Fact]
    public void Validate_RefusesALengthPastTheBuffer()
    {
        var batch = BatchBytes.OneRecord();

        AssertRefused(BatchBytes.WithInt32(batch, BatchLengthOffset, batch.Length), ErrorCode.CorruptMessage);
        AssertRefused(batch[..^1], ErrorCode.CorruptMessage);
    }

    [Fact]
    public void Validate_RefusesALengthShorterThanAHeader() =>
        AssertRefused(BatchBytes.WithInt32(BatchBytes.OneRecord(), BatchLengthOffset, HeaderSize - LogOverhead - 1), ErrorCode.CorruptMessage);

    [Fact]
    public void Validate_RefusesAWrongMagic()
    {
        var batch = BatchBytes.OneRecord();
        batch[MagicOffset] = 1;

        AssertRefused(batch, ErrorCode.CorruptMessage);
    }

    [Theory]
    [InlineData(AttributesOffset + 1)]
    [InlineData(BaseTimestampOffset + 7)]
    [InlineData(RecordsOffset + 5)]
    public void Validate_RefusesAFlippedByte(int position)
    {
        var batch = BatchBytes.OneRecord();
        batch[position] ^= 0x40;

        AssertRefused(batch, ErrorCode.CorruptMessage);
    }

    [Fact]
    public void Validate_RefusesABatchOverTheMaxSize()
    {
        var batch = BatchBytes.OneRecord();

        AssertRefused(batch, ErrorCode.MessageTooLarge, maxBatchBytes: batch.Length - 1);
        RecordBatchValidator.Validate(batch, batch.Length);
    }

    [Fact]
    public void Validate_RefusesAnUnknownCodec()
    {
        var batch = BatchBytes.OneRecord();
        batch[AttributesOffset + 1] = 0x05;
        RecordBatch.WriteCrc(batch);

        AssertRefused(batch, ErrorCode.UnsupportedCompressionType);
    }

    [Fact]
    public void Validate_RefusesALastOffsetDeltaThatDisagreesWithTheCount()
    {
        var batch = BatchBytes.Build(CompressionType.None, new(1, null, null), new(2, null, null));

        AssertRefused(BatchBytes.WithInt32(batch, LastOffsetDeltaOffset, 5), ErrorCode.InvalidRecord);
        AssertRefused(BatchBytes.WithInt32(batch, RecordsCountOffset, 3), ErrorCode.InvalidRecord);
        AssertRefused(BatchBytes.WithInt32(BatchBytes.WithInt32(batch, RecordsCountOffset, 0), LastOffsetDeltaOffset, -1), ErrorCode.InvalidRecord);
    }

    [Fact]
    public void Validate_RefusesTheWholeRunWhenALaterBatchIsBad()
    {
        var good = BatchBytes.OneRecord();
        var bad = BatchBytes.OneRecord();
        bad[^1] ^= 0x01;

        AssertRefused([.. good, .. bad], ErrorCode.CorruptMessage);
    }

    private static void AssertRefused(byte[] batches, ErrorCode expected, int maxBatchBytes = 1_000_000)
    {
        var error = Assert.Throws<OrlogException>(() => RecordBatchValidator.Validate(batches, maxBatchBytes));
        Assert.Equal(expected, error.Code);
    }
}
