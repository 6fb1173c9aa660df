using System.Text;
using CsCheck;
using Xunit;

namespace Orlog.Records;

public class Crc32CTests
{
    [Fact]
    public void Compute_MatchesTheCastagnoliCheckValue() =>
        // The published check value of CRC-32C: the CRC of the nine ASCII digits "123456789".
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void Compute_OfNothing_IsZero() => Assert.Equal(0u, Crc32C.Compute([]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(33)]
    public void Append_ContinuesACrc_AsIfComputedWhole(int split)
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog.");

        var continued = Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split));

        Assert.Equal(Crc32C.Compute(data), continued);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1536 + 7)]
    [InlineData(4096)]
    [InlineData(65536 + 61)]
    [InlineData(1 << 20)]
    public void Compute_AgreesWithTheBitwiseDefinition_AtEveryLength(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(Bitwise(0, data), Crc32C.Compute(data));
        Assert.Equal(Bitwise(0xDEADBEEF, data), Crc32C.Append(0xDEADBEEF, data));
    }

    [Fact]
    public void Compute_AgreesWithTheBitwiseDefinition_ForRandomInputs() =>
        Gen.Int[0, 5000].Select(Gen.Byte.Array[0, 5000], Gen.UInt)
            .Sample((_, data, crc) => Bitwise(crc, data) == Crc32C.Append(crc, data), iter: 300);

    /// <summary>CRC-32C straight from its definition: reflected polynomial 0x82F63B78, one bit at a time.</summary>
    private static uint Bitwise(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        foreach (var b in data)
        {
            state ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                state = (state & 1) != 0 ? (state >> 1) ^ 0x82F63B78u : state >> 1;
            }
        }

        return ~state;
    }
}
