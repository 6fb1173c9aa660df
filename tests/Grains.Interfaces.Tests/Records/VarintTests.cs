using CsCheck;
using Orlog.Errors;
using Xunit;

namespace Orlog.Records;

public class VarintTests
{
    // Expected bytes follow from the zig-zag rule (n << 1) ^ (n >> 31), then 7 bits per byte,
    // low group first, high bit set on every byte but the last.
    public static TheoryData<int, byte[]> IntEncodings => new()
    {
        { 0, [0x00] },
        { -1, [0x01] },
        { 1, [0x02] },
        { -2, [0x03] },
        { 63, [0x7E] },
        { -64, [0x7F] },
        { 64, [0x80, 0x01] },
        { -65, [0x81, 0x01] },
        { 300, [0xD8, 0x04] },
        // int.MaxValue zig-zags to 0xFFFFFFFE: groups 7E 7F 7F 7F 0F.
        { int.MaxValue, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F] },
        // int.MinValue zig-zags to 0xFFFFFFFF.
        { int.MinValue, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
    };

    public static TheoryData<long, byte[]> LongEncodings => new()
    {
        { 0L, [0x00] },
        { -1L, [0x01] },
        { 1L, [0x02] },
        { 64L, [0x80, 0x01] },
        { 1000L, [0xD0, 0x0F] },
        // long.MaxValue zig-zags to 2^64 - 2: nine groups of 7 bits, then the 64th bit alone.
        { long.MaxValue, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { long.MinValue, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
    };

    [Theory]
    [MemberData(nameof(IntEncodings))]
    public void WriteVarint_ProducesTheZigZagEncoding(int value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxVarintBytes];

        var written = Varint.WriteVarint(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.SizeOfVarint(value));
    }

    [Theory]
    [MemberData(nameof(IntEncodings))]
    public void ReadVarint_DecodesTheZigZagEncoding(int expected, byte[] encoded)
    {
        var value = Varint.ReadVarint([.. encoded, 0xAA], out var read);

        Assert.Equal(expected, value);
        Assert.Equal(encoded.Length, read);
    }

    [Theory]
    [MemberData(nameof(LongEncodings))]
    public void WriteVarlong_ProducesTheZigZagEncoding(long value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxVarlongBytes];

        var written = Varint.WriteVarlong(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.SizeOfVarlong(value));
    }

    [Theory]
    [MemberData(nameof(LongEncodings))]
    public void ReadVarlong_DecodesTheZigZagEncoding(long expected, byte[] encoded)
    {
        var value = Varint.ReadVarlong(encoded, out var read);

        Assert.Equal(expected, value);
        Assert.Equal(encoded.Length, read);
    }

    [Fact]
    public void Varint_RoundTripsEveryInt() =>
        Gen.Int.Sample(value =>
        {
            Span<byte> buffer = stackalloc byte[Varint.MaxVarintBytes];
            var written = Varint.WriteVarint(buffer, value);
            Assert.Equal(Varint.SizeOfVarint(value), written);
            Assert.Equal(value, Varint.ReadVarint(buffer[..written], out var read));
            Assert.Equal(written, read);
        });

    [Fact]
    public void Varlong_RoundTripsEveryLong() =>
        Gen.Long.Sample(value =>
        {
            Span<byte> buffer = stackalloc byte[Varint.MaxVarlongBytes];
            var written = Varint.WriteVarlong(buffer, value);
            Assert.Equal(Varint.SizeOfVarlong(value), written);
            Assert.Equal(value, Varint.ReadVarlong(buffer[..written], out var read));
            Assert.Equal(written, read);
        });

    [Fact]
    public void Varlong_ReadsEveryVarint() =>
        Gen.Int.Sample(value =>
        {
            Span<byte> buffer = stackalloc byte[Varint.MaxVarintBytes];
            var written = Varint.WriteVarint(buffer, value);
            Assert.Equal(value, Varint.ReadVarlong(buffer[..written], out _));
        });

    public static TheoryData<byte[]> MalformedVarints => new()
    {
        Array.Empty<byte>(),
        new byte[] { 0x80 },
        new byte[] { 0xFF, 0xFF, 0xFF, 0xFF },
        // Six bytes: longer than any int32 encoding.
        new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 },
        // Five bytes whose last group carries bits past the 32nd.
        new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F },
    };

    [Theory]
    [MemberData(nameof(MalformedVarints))]
    public void ReadVarint_RefusesMalformedInput(byte[] encoded)
    {
        var error = Assert.Throws<OrlogException>(() => Varint.ReadVarint(encoded, out _));

        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
    }

    public static TheoryData<byte[]> MalformedVarlongs => new()
    {
        Array.Empty<byte>(),
        new byte[] { 0x81, 0x82 },
        // Eleven bytes: longer than any int64 encoding.
        new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 },
        // Ten bytes whose last group carries bits past the 64th.
        new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x03 },
    };

    [Theory]
    [MemberData(nameof(MalformedVarlongs))]
    public void ReadVarlong_RefusesMalformedInput(byte[] encoded)
    {
        var error = Assert.Throws<OrlogException>(() => Varint.ReadVarlong(encoded, out _));

        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
    }
}
