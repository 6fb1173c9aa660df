using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Orlog.Errors;
using Orlog.Records.Compression;
using Xunit;

namespace Orlog.Records;

public class CompressionTests
{
    public static TheoryData<CompressionType> Codecs => new(Enum.GetValues<CompressionType>());

    public static TheoryData<CompressionType> CompressingCodecs =>
        new(Enum.GetValues<CompressionType>().Where(type => type != CompressionType.None));

    private static readonly byte[] Repetitive =
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"user\":\"alice\",\"action\":\"click\",\"page\":\"/home\"}", 2_000)));

    [Theory]
    [MemberData(nameof(Codecs))]
    public void For_ReturnsTheCodecOfThatType(CompressionType type) =>
        Assert.Equal(type, RecordsCodecs.For(type).Type);

    [Fact]
    public void For_AnUnknownCodec_IsUnsupported()
    {
        var error = Assert.Throws<OrlogException>(() => RecordsCodecs.For((CompressionType)5));

        Assert.Equal(ErrorCode.UnsupportedCompressionType, error.Code);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Decompress_UndoesCompress(CompressionType type) =>
        Gen.Byte.Array[0, 100_000].Sample(
            data => Assert.Equal(data, RoundTrip(type, data)),
            iter: 50);

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Decompress_UndoesCompress_ForEmptyAndRepetitiveData(CompressionType type)
    {
        Assert.Empty(RoundTrip(type, []));
        Assert.Equal(Repetitive, RoundTrip(type, Repetitive));
    }

    [Theory]
    [MemberData(nameof(CompressingCodecs))]
    public void Compress_ShrinksRepetitiveData(CompressionType type)
    {
        var compressed = Compress(type, Repetitive);

        Assert.True(compressed.Length < Repetitive.Length / 4, $"{type}: {compressed.Length} of {Repetitive.Length} bytes");
    }

    [Theory]
    [MemberData(nameof(CompressingCodecs))]
    public void Decompress_Garbage_IsCorrupt(CompressionType type)
    {
        byte[] garbage = [.. Enumerable.Repeat((byte)0xFF, 40)];

        AssertCorrupt(type, garbage);
    }

    [Theory]
    [MemberData(nameof(CompressingCodecs))]
    public void Decompress_RandomBytes_IsCorruptOrDecodes(CompressionType type) =>
        Gen.Byte.Array[1, 200].Sample(
            garbage =>
            {
                try
                {
                    RecordsCodecs.For(type).Decompress(garbage, new ArrayBufferWriter<byte>(), 1_000_000);
                }
                catch (OrlogException e)
                {
                    Assert.Equal(ErrorCode.CorruptMessage, e.Code);
                }
            },
            iter: 500);

    // Not gzip: .NET's GZipStream ends quietly at a cut; RecordBatchReaderTests shows the reader still refuses such a batch.
    [Theory]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Decompress_ATruncatedSection_IsCorrupt(CompressionType type)
    {
        var compressed = Compress(type, Repetitive);

        AssertCorrupt(type, compressed[..(compressed.Length / 2)]);
    }

    [Theory]
    [MemberData(nameof(CompressingCodecs))]
    public void Decompress_PastTheCap_IsCorrupt(CompressionType type)
    {
        var compressed = Compress(type, new byte[1_000_000]);

        var error = Assert.Throws<OrlogException>(
            () => RecordsCodecs.For(type).Decompress(compressed, new ArrayBufferWriter<byte>(), 999_999));

        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
        var exact = new ArrayBufferWriter<byte>();
        RecordsCodecs.For(type).Decompress(compressed, exact, 1_000_000);
        Assert.Equal(1_000_000, exact.WrittenCount);
    }

    [Fact]
    public void Gzip_WritesAGzipMember() =>
        // RFC 1952: ID1 ID2 = 1F 8B, CM = 8 (deflate).
        Assert.Equal([0x1F, 0x8B, 0x08], Compress(CompressionType.Gzip, Repetitive)[..3]);

    [Fact]
    public void Zstd_WritesAZstandardFrame() =>
        // RFC 8878: the frame magic 0xFD2FB528, little-endian.
        Assert.Equal([0x28, 0xB5, 0x2F, 0xFD], Compress(CompressionType.Zstd, Repetitive)[..4]);

    [Fact]
    public void Lz4_WritesAFrameOfIndependent64KiBBlocks()
    {
        var compressed = Compress(CompressionType.Lz4, Repetitive);

        // LZ4 frame format: magic 0x184D2204 little-endian, then FLG = version 01, block
        // independence set, no checksums, no content size (0b0110_0000), then BD = 64 KiB
        // blocks (code 4 in bits 6-4).
        Assert.Equal([0x04, 0x22, 0x4D, 0x18, 0x60, 0x40], compressed[..6]);
    }

    [Fact]
    public void Snappy_WritesXerialFraming()
    {
        var data = new byte[100_000];
        new Random(7).NextBytes(data.AsSpan(0, 50_000));

        var compressed = Compress(CompressionType.Snappy, data);

        byte[] header =
        [
            0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, // magic: 0x82 "SNAPPY" 0x00
            0x00, 0x00, 0x00, 0x01,                         // version 1
            0x00, 0x00, 0x00, 0x01,                         // compatible version 1
        ];
        Assert.Equal(header, compressed[..16]);

        // Then blocks of [int32 BE length][raw snappy block], each holding up to 32 KiB of input.
        var blocks = compressed.AsSpan(16);
        var decoded = new List<byte>();
        var blockCount = 0;
        while (!blocks.IsEmpty)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(blocks);
            var block = Snappier.Snappy.DecompressToArray(blocks.Slice(4, length));
            Assert.True(block.Length <= 32 * 1024);
            decoded.AddRange(block);
            blocks = blocks[(4 + length)..];
            blockCount++;
        }

        Assert.Equal(4, blockCount);
        Assert.Equal(data, decoded);
    }

    [Fact]
    public void Snappy_DecompressesARawBlockWithoutFraming()
    {
        var raw = Snappier.Snappy.CompressToArray(Repetitive);

        var output = new ArrayBufferWriter<byte>();
        RecordsCodecs.For(CompressionType.Snappy).Decompress(raw, output);

        Assert.Equal(Repetitive, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Snappy_DecompressesConcatenatedXerialStreams()
    {
        var first = Compress(CompressionType.Snappy, "first "u8.ToArray());
        var second = Compress(CompressionType.Snappy, "second"u8.ToArray());

        var output = new ArrayBufferWriter<byte>();
        RecordsCodecs.For(CompressionType.Snappy).Decompress([.. first, .. second], output);

        Assert.Equal("first second"u8.ToArray(), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Snappy_RefusesABlockLengthPastTheEnd()
    {
        var compressed = Compress(CompressionType.Snappy, Repetitive);
        BinaryPrimitives.WriteInt32BigEndian(compressed.AsSpan(16), compressed.Length);

        AssertCorrupt(CompressionType.Snappy, compressed);
    }

    private static byte[] Compress(CompressionType type, byte[] data)
    {
        var output = new ArrayBufferWriter<byte>();
        RecordsCodecs.For(type).Compress(data, output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] RoundTrip(CompressionType type, byte[] data)
    {
        var output = new ArrayBufferWriter<byte>();
        RecordsCodecs.For(type).Decompress(Compress(type, data), output);
        return output.WrittenSpan.ToArray();
    }

    private static void AssertCorrupt(CompressionType type, byte[] compressed)
    {
        var error = Assert.Throws<OrlogException>(
            () => RecordsCodecs.For(type).Decompress(compressed, new ArrayBufferWriter<byte>()));
        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
    }
}
