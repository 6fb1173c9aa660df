using System.Buffers;
using System.Buffers.Binary;
using Xunit;

namespace Orlog.Records;

/// <summary>
/// The expected batches here are written out by hand, field by field, from Kafka's published
/// RecordBatch v2 layout (see <see cref="RecordBatchLayout"/>); only the CRC is computed, with the
/// CRC-32C that <see cref="Crc32CTests"/> checks against the algorithm's check value.
/// </summary>
public class RecordBatchBuilderTests
{
    [Fact]
    public void Build_OneRecord_MatchesTheHandDerivedBytes()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // baseOffset 0
            0x00, 0x00, 0x00, 0x3A,                         // batchLength 58: 61-byte header + 9-byte record - 12
            0xFF, 0xFF, 0xFF, 0xFF,                         // partitionLeaderEpoch -1
            0x02,                                           // magic 2
            0x00, 0x00, 0x00, 0x00,                         // crc, computed below
            0x00, 0x00,                                     // attributes: no codec, create time
            0x00, 0x00, 0x00, 0x00,                         // lastOffsetDelta 0
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xE8, // baseTimestamp 1000
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xE8, // maxTimestamp 1000
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // producerId -1
            0xFF, 0xFF,                                     // producerEpoch -1
            0xFF, 0xFF, 0xFF, 0xFF,                         // baseSequence -1
            0x00, 0x00, 0x00, 0x01,                         // recordsCount 1
            // record 0
            0x10,                                           // length 8, zig-zag 16
            0x00,                                           // attributes
            0x00,                                           // timestampDelta 0
            0x00,                                           // offsetDelta 0
            0x02, 0x6B,                                     // keyLength 1, "k"
            0x02, 0x76,                                     // valueLength 1, "v"
            0x00,                                           // headerCount 0
        ];
        StampCrc(expected);
        var builder = new RecordBatchBuilder();
        builder.Append(1000, "k"u8.ToArray(), "v"u8.ToArray());

        var batch = builder.Build();

        Assert.Equal(expected, batch);
        RecordAssert.ReadsBack([new ProducerRecord(1000, "k"u8.ToArray(), "v"u8.ToArray())], expected);
    }

    [Fact]
    public void Build_TwoRecordsWithANullKeyAndAHeader_MatchesTheHandDerivedBytes()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A, // baseOffset 42
            0x00, 0x00, 0x00, 0x47,                         // batchLength 71: 61-byte header + 12 + 10 record bytes - 12
            0x00, 0x00, 0x00, 0x05,                         // partitionLeaderEpoch 5
            0x02,                                           // magic 2
            0x00, 0x00, 0x00, 0x00,                         // crc, computed below
            0x00, 0x00,                                     // attributes: no codec, create time
            0x00, 0x00, 0x00, 0x01,                         // lastOffsetDelta 1
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0xD5, // baseTimestamp 2005, the first record's
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0xD5, // maxTimestamp 2005, though the last record is earlier
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, // producerId 7
            0x00, 0x01,                                     // producerEpoch 1
            0x00, 0x00, 0x00, 0x00,                         // baseSequence 0
            0x00, 0x00, 0x00, 0x02,                         // recordsCount 2
            // record 0: null key, value "a", header h=x, timestamp 2005
            0x16,                                           // length 11, zig-zag 22
            0x00,                                           // attributes
            0x00,                                           // timestampDelta 0
            0x00,                                           // offsetDelta 0
            0x01,                                           // keyLength -1 (null), zig-zag 1
            0x02, 0x61,                                     // valueLength 1, "a"
            0x02,                                           // headerCount 1
            0x02, 0x68,                                     // headerKeyLength 1, "h"
            0x02, 0x78,                                     // headerValueLength 1, "x"
            // record 1: key "b", value "cd", timestamp 2000
            0x12,                                           // length 9, zig-zag 18
            0x00,                                           // attributes
            0x09,                                           // timestampDelta -5, zig-zag 9
            0x02,                                           // offsetDelta 1
            0x02, 0x62,                                     // keyLength 1, "b"
            0x04, 0x63, 0x64,                               // valueLength 2, "cd"
            0x00,                                           // headerCount 0
        ];
        StampCrc(expected);
        ProducerRecord[] records =
        [
            new(2005, null, "a"u8.ToArray(), [new RecordHeader("h", "x"u8.ToArray())]),
            new(2000, "b"u8.ToArray(), "cd"u8.ToArray()),
        ];
        var builder = new RecordBatchBuilder
        {
            BaseOffset = 42,
            PartitionLeaderEpoch = 5,
            ProducerId = 7,
            ProducerEpoch = 1,
            BaseSequence = 0,
        };
        foreach (var record in records)
        {
            builder.Append(record);
        }

        var output = new ArrayBufferWriter<byte>();
        var size = builder.Build(output);

        Assert.Equal(expected.Length, size);
        Assert.Equal(expected, output.WrittenSpan.ToArray());
        RecordAssert.ReadsBack(records, expected, baseOffset: 42);
    }

    [Fact]
    public void Build_NullValueAndNullHeaderValue_WriteLengthMinusOne()
    {
        var builder = new RecordBatchBuilder();
        builder.Append(5, "k"u8.ToArray(), null, [new RecordHeader("h", null)]);

        var batch = builder.Build();

        // length 10, attributes, timestampDelta 0, offsetDelta 0, key "k", value -1, one header: "h", value -1.
        byte[] record = [0x14, 0x00, 0x00, 0x00, 0x02, 0x6B, 0x01, 0x02, 0x02, 0x68, 0x01];
        Assert.Equal(record, batch[RecordBatchLayout.RecordsOffset..]);
    }

    [Fact]
    public void Build_WithoutRecords_Throws()
    {
        var builder = new RecordBatchBuilder();

        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Reset_StartsAFreshBatch_KeepingTheSettings()
    {
        var builder = new RecordBatchBuilder { Compression = CompressionType.Zstd, ProducerId = 9 };
        builder.Append(1, null, new byte[100]);
        builder.Append(2, null, new byte[100]);
        builder.Build();

        builder.Reset();
        builder.Append(1000, "k"u8.ToArray(), "v"u8.ToArray());
        var batch = builder.Build();

        var header = new RecordBatchHeader(batch);
        Assert.Equal(1, header.RecordsCount);
        Assert.Equal(1000, header.BaseTimestamp);
        Assert.Equal(CompressionType.Zstd, header.Compression);
        Assert.Equal(9, header.ProducerId);
        RecordAssert.ReadsBack([new ProducerRecord(1000, "k"u8.ToArray(), "v"u8.ToArray())], batch);
    }

    [Fact]
    public void Append_OnceTheBuffersHaveGrown_AllocatesNothing()
    {
        var builder = new RecordBatchBuilder();
        var record = new ProducerRecord(1000, new byte[16], new byte[100], [new RecordHeader("trace-id", new byte[8])]);
        for (var i = 0; i < 1000; i++)
        {
            builder.Append(record);
        }

        builder.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            builder.Append(record);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void StampCrc(byte[] batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchLayout.CrcOffset), Crc32C.Compute(batch.AsSpan(RecordBatchLayout.AttributesOffset)));
}
