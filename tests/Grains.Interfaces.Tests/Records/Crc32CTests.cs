using System.Text;
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
}
