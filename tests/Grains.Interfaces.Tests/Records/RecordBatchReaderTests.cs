using CsCheck;
using Orlog.Errors;
using Xunit;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Records;

public class RecordBatchReaderTests
{
    public static TheoryData<CompressionType> Codecs => new(Enum.GetValues<CompressionType>());

    [Theory]
    [MemberData(nameof(Codecs))]
    public void BuiltBatches_ValidateAndReadBack(CompressionType compression) =>
        RecordGenerators.Records.Sample(
            records =>
            {
                var batch = BatchBytes.Build(compression, records);

                var summary = RecordBatchValidator.Validate(batch, int.MaxValue);

                Assert.Equal(1, summary.BatchCount);
                Assert.Equal(records.Length, summary.RecordCount);
                Assert.Equal(records.Max(r => r.Timestamp), summary.MaxTimestamp);
                Assert.Equal(compression, new RecordBatchHeader(batch).Compression);
                RecordAssert.ReadsBack(records, batch);
            },
            iter: 200);

    [Fact]
    public void Records_OfALogAppendTimeBatch_ReportTheStampedMaxTimestamp()
    {
        ProducerRecord[] records = [new(10, null, "a"u8.ToArray()), new(20, null, "b"u8.ToArray())];
        var batch = BatchBytes.Build(CompressionType.Lz4, records);

        RecordBatch.StampLogAppendTime(batch, 5_000);

        using var reader = new RecordBatchReader(batch);
        Assert.Equal(TimestampType.LogAppendTime, reader.Header.TimestampType);
        var count = 0;
        foreach (var record in reader)
        {
            Assert.Equal(5_000, record.Timestamp);
            count++;
        }

        Assert.Equal(2, count);
    }

    [Fact]
    public void Records_AfterStampBaseOffset_CarryTheNewOffsets()
    {
        ProducerRecord[] records = [new(10, null, "a"u8.ToArray()), new(20, null, "b"u8.ToArray())];
        var batch = BatchBytes.Build(CompressionType.None, records);

        RecordBatch.StampBaseOffset(batch, 1_000_000);

        RecordAssert.ReadsBack(records, batch, baseOffset: 1_000_000);
    }

    [Fact]
    public void Reader_IgnoresBytesAfterTheBatch()
    {
        var first = BatchBytes.OneRecord(1);
        var second = BatchBytes.OneRecord(2);

        using var reader = new RecordBatchReader([.. first, .. second]);

        Assert.Equal(first.Length, reader.Header.SizeInBytes);
        Assert.Equal(1, reader.Header.BaseTimestamp);
        Assert.Equal(1, BatchBytes.ReadAll([.. first, .. second]));
    }

    [Fact]
    public void Reader_OfAnUncompressedBatch_AllocatesNothing()
    {
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < 100; i++)
        {
            builder.Append(i, new byte[8], new byte[64], [new RecordHeader("h", new byte[4])]);
        }

        var batch = builder.Build();
        BatchBytes.ReadAll(batch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = BatchBytes.ReadAll(batch);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100, read);
    }

    [Fact]
    public void Reader_RefusesMoreRecordsThanTheHeaderCounts()
    {
        var batch = BatchBytes.Build(CompressionType.None, new(1, null, null), new(2, null, null));
        var edited = BatchBytes.WithInt32(batch, RecordsCountOffset, 1);

        AssertCorrupt(edited);
    }

    [Fact]
    public void Reader_RefusesFewerRecordsThanTheHeaderCounts()
    {
        var batch = BatchBytes.Build(CompressionType.Gzip, new(1, null, null), new(2, null, null));
        var edited = BatchBytes.WithInt32(batch, RecordsCountOffset, 3);

        AssertCorrupt(edited);
    }

    [Fact]
    public void Reader_RefusesARecordLongerThanTheBatch()
    {
        var batch = BatchBytes.OneRecord();
        // The record's length varint: 0x7E is 63 bytes, far more than the 8 that follow.
        batch[RecordsOffset] = 0x7E;

        AssertCorrupt(batch);
    }

    [Fact]
    public void Reader_RefusesAKeyLongerThanItsRecord()
    {
        var batch = BatchBytes.OneRecord();
        // Key length: 0x0A is 5 bytes, but the record has 4 left after it.
        batch[RecordsOffset + 4] = 0x0A;

        AssertCorrupt(batch);
    }

    [Fact]
    public void Reader_RefusesANegativeLengthOtherThanNull()
    {
        var batch = BatchBytes.OneRecord();
        // Key length: 0x03 is -2.
        batch[RecordsOffset + 4] = 0x03;

        AssertCorrupt(batch);
    }

    [Fact]
    public void Reader_RefusesAHeaderWithANullKey()
    {
        var batch = BatchBytes.Build(CompressionType.None, new ProducerRecord(1, null, null, [new RecordHeader("h", null)]));
        // length, attributes, timestampDelta, offsetDelta, key, value, headerCount, then the header key length.
        batch[RecordsOffset + 7] = 0x01;

        AssertCorrupt(batch);
    }

    [Fact]
    public void Reader_RefusesBytesLeftInsideARecord()
    {
        var batch = BatchBytes.OneRecord();
        var section = batch[RecordsOffset..];
        // Claim one byte more for the record and supply it.
        section[0] = 0x12;
        var edited = BatchBytes.WithRecordsSection(batch, [.. section, 0x00], CompressionType.None);

        AssertCorrupt(edited);
    }

    [Fact]
    public void Reader_RefusesAWrongMagic()
    {
        var batch = BatchBytes.OneRecord();
        batch[MagicOffset] = 1;

        AssertCorrupt(batch);
    }

    [Fact]
    public void Reader_RefusesATruncatedBatch()
    {
        var batch = BatchBytes.OneRecord();

        AssertCorrupt(batch[..^1]);
        AssertCorrupt(batch[..(HeaderSize - 1)]);
    }

    [Fact]
    public void Reader_RefusesAnUnknownCodec()
    {
        var batch = BatchBytes.OneRecord();
        batch[AttributesOffset + 1] = 0x07;

        var error = Assert.Throws<OrlogException>(() => BatchBytes.ReadAll(batch));

        Assert.Equal(ErrorCode.UnsupportedCompressionType, error.Code);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Reader_RefusesACompressedSectionThatIsNotCompressed(CompressionType compression)
    {
        var batch = BatchBytes.OneRecord();
        var edited = BatchBytes.WithRecordsSection(batch, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, compression);

        AssertCorrupt(edited);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Reader_RefusesATruncatedCompressedSection(CompressionType compression)
    {
        var records = Enumerable.Range(0, 50).Select(i => new ProducerRecord(i, null, new byte[100])).ToArray();
        var batch = BatchBytes.Build(compression, records);
        var section = batch.AsSpan(RecordsOffset);

        var edited = BatchBytes.WithRecordsSection(batch, section[..(section.Length / 2)], compression);

        AssertCorrupt(edited);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Reader_RefusesASectionThatInflatesPastTheCap(CompressionType compression)
    {
        var batch = BatchBytes.Build(compression, new ProducerRecord(1, null, new byte[200_000]));
        Assert.True(batch.Length < 20_000);

        var error = Assert.Throws<OrlogException>(() => BatchBytes.ReadAll(batch, maxDecompressedBytes: 100_000));

        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
        Assert.Equal(1, BatchBytes.ReadAll(batch, maxDecompressedBytes: 300_000));
    }

    [Fact]
    public void Reader_AcceptsARawSnappySection()
    {
        ProducerRecord[] records = [new(1, "k"u8.ToArray(), "v"u8.ToArray()), new(2, null, new byte[1000])];
        var batch = BatchBytes.Build(CompressionType.None, records);
        var raw = Snappier.Snappy.CompressToArray(batch.AsSpan(RecordsOffset));

        var snappy = BatchBytes.WithRecordsSection(batch, raw, CompressionType.Snappy);

        RecordBatchValidator.Validate(snappy, int.MaxValue);
        RecordAssert.ReadsBack(records, snappy);
    }

    private static void AssertCorrupt(byte[] batch)
    {
        var error = Assert.Throws<OrlogException>(() => BatchBytes.ReadAll(batch));
        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
    }
}
