using System.Text;
using Orlog.Errors;
using Orlog.Records;
using Xunit;

namespace Orlog.Client;

public class BatchDecoderTests
{
    private static readonly TopicPartition P0 = new("t", 0);

    private static BatchDecoder<string, string> Decoder(bool checkCrcs = true) => new(P0, Deserializers.Utf8, Deserializers.Utf8, checkCrcs);

    private static List<DecodedRecord<string, string>> DecodeAll(byte[] chunk, long minOffset, bool checkCrcs = true)
    {
        var decoder = Decoder(checkCrcs);
        var output = new Queue<DecodedRecord<string, string>>();
        var position = 0;
        while (decoder.DecodeNext(chunk, ref position, minOffset, output))
        {
        }

        Assert.Equal(chunk.Length, position);
        return [.. output];
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Decodes_EveryRecordOfEveryBatch(CompressionType compression)
    {
        var chunk = Batches.Concat(Batches.Build(10, 3, compression), Batches.Build(13, 2, compression));

        var records = DecodeAll(chunk, 10);

        Assert.Equal([10L, 11, 12, 13, 14], records.Select(r => r.Offset));
        var third = records[2].Result!;
        Assert.Equal("t", third.Topic);
        Assert.Equal(12, third.Offset.Value);
        Assert.Equal("k12", third.Message.Key);
        Assert.Equal("v12", third.Message.Value);
        Assert.Equal(new Timestamp(1012, TimestampType.CreateTime), third.Message.Timestamp);
        Assert.Null(third.Message.Headers);
    }

    [Fact]
    public void SkipsRecordsBelowTheRequestedOffset_InTheFirstBatch()
    {
        var chunk = Batches.Concat(Batches.Build(10, 5), Batches.Build(15, 5));

        var records = DecodeAll(chunk, 13);

        Assert.Equal([13L, 14, 15, 16, 17, 18, 19], records.Select(r => r.Offset));
        Assert.Equal("v13", records[0].Result!.Message.Value);
    }

    [Fact]
    public void SkipsWholeBatchesBelowTheRequestedOffset()
    {
        var chunk = Batches.Concat(Batches.Build(0, 5), Batches.Build(5, 5));

        Assert.Equal([7L, 8, 9], DecodeAll(chunk, 7).Select(r => r.Offset));
    }

    [Fact]
    public void CopiesHeaders()
    {
        var builder = new RecordBatchBuilder { BaseOffset = 4 };
        builder.Append(1, null, Encoding.UTF8.GetBytes("v"), [new RecordHeader("a", new byte[] { 1, 2 }), new RecordHeader("b", null)]);

        var message = Assert.Single(DecodeAll(builder.Build(), 0)).Result!.Message;

        Assert.Null(message.Key);
        Assert.NotNull(message.Headers);
        Assert.Equal(2, message.Headers.Count);
        Assert.True(message.Headers.TryGetLastBytes("a", out var a));
        Assert.Equal(new byte[] { 1, 2 }, a!.Value.ToArray());
        Assert.True(message.Headers.TryGetLastBytes("b", out var b));
        Assert.Null(b);
    }

    [Fact]
    public void LogAppendTimeBatches_ReportTheBrokersTimestamp()
    {
        var batch = Batches.Build(0, 2);
        RecordBatch.StampLogAppendTime(batch, 99_000);

        Assert.All(DecodeAll(batch, 0), r => Assert.Equal(new Timestamp(99_000, TimestampType.LogAppendTime), r.Result!.Message.Timestamp));
    }

    [Fact]
    public void CorruptBatch_FailsItsCrcCheck()
    {
        var batch = Batches.Build(0, 2);
        batch[^1] ^= 0xFF;

        var error = Assert.Throws<ConsumeException>(() => DecodeAll(batch, 0));

        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
        Assert.Equal(new TopicPartitionOffset(P0, 0), error.Position);
    }

    [Fact]
    public void UndeserializableRecord_BecomesAnErrorInItsPlace()
    {
        var decoder = new BatchDecoder<int, string>(P0, Deserializers.Int32, Deserializers.Utf8, true);
        var output = new Queue<DecodedRecord<int, string>>();
        var position = 0;

        decoder.DecodeNext(Batches.Build(0, 2), ref position, 0, output);

        Assert.All(output, r =>
        {
            Assert.Null(r.Result);
            Assert.Equal(ErrorCode.InvalidRecord, r.Error!.Code);
            Assert.Equal(r.Offset, r.Error.Position.Offset.Value);
        });
    }

    [Fact]
    public void TrailingPartialBatch_IsLeftAlone()
    {
        var whole = Batches.Build(0, 2);
        var chunk = Batches.Concat(whole, Batches.Build(2, 2)[..30]);
        var decoder = Decoder();
        var output = new Queue<DecodedRecord<string, string>>();
        var position = 0;

        Assert.True(decoder.DecodeNext(chunk, ref position, 0, output));
        Assert.False(decoder.DecodeNext(chunk, ref position, 0, output));

        Assert.Equal(whole.Length, position);
        Assert.Equal(2, output.Count);
        Assert.Equal(2, PartitionFetcher.NextOffset(chunk, 0));
    }
}
