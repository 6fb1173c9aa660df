using System.Text;
using CsCheck;
using Xunit;

namespace Orlog.Client;

public class Murmur2Tests
{
    /// <summary>
    /// Expected values published with Kafka's own <c>UtilsTest.testMurmur2</c> (and repeated by
    /// other Kafka clients that must place keys as the Java client does).
    /// </summary>
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    [InlineData("1", -1993445489)]
    [InlineData("12", 126087238)]
    [InlineData("123", -267702483)]
    [InlineData("1234", -1614185708)]
    [InlineData("12345", -1188365604)]
    public void Hash_MatchesKafkasPublishedValues(string key, int expected) =>
        Assert.Equal(expected, Murmur2.Hash(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Hash_MatchesAStraightTransliterationOfTheJavaCode() =>
        Gen.Byte.Array[0, 64].Sample(data => Assert.Equal(JavaMurmur2(data), Murmur2.Hash(data)), iter: 2000);

    [Fact]
    public void Hash_OfEmptyInput_MatchesTheReference() =>
        Assert.Equal(JavaMurmur2([]), Murmur2.Hash([]));

    [Theory]
    [InlineData(-1, 0x7fffffff)]
    [InlineData(int.MinValue, 0)]
    [InlineData(5, 5)]
    public void ToPositive_ClearsTheSignBit(int input, int expected) =>
        Assert.Equal(expected, Murmur2.ToPositive(input));

    [Fact]
    public void Partition_IsToPositiveHashModuloPartitions() =>
        Gen.Select(Gen.Byte.Array[0, 32], Gen.Int[1, 1000]).Sample((key, partitions) =>
        {
            var partition = Murmur2.Partition(key, partitions);
            Assert.Equal((JavaMurmur2(key) & 0x7fffffff) % partitions, partition);
            Assert.InRange(partition, 0, partitions - 1);
        });

    /// <summary>
    /// An independent reference written from the published algorithm, statement by statement as in
    /// Java: signed ints that wrap, <c>&amp; 0xff</c> on each byte, <c>&gt;&gt;&gt;</c> as an unsigned
    /// shift, and the fall-through tail switch spelled out.
    /// </summary>
    private static int JavaMurmur2(byte[] data)
    {
        unchecked
        {
            var length = data.Length;
            var seed = (int)0x9747b28c;
            var m = 0x5bd1e995;
            var r = 24;
            var h = seed ^ length;
            var length4 = length / 4;
            for (var i = 0; i < length4; i++)
            {
                var i4 = i * 4;
                var k = (data[i4 + 0] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
                k *= m;
                k ^= (int)((uint)k >> r);
                k *= m;
                h *= m;
                h ^= k;
            }

            var rest = length % 4;
            if (rest == 3)
            {
                h ^= (data[(length & ~3) + 2] & 0xff) << 16;
            }

            if (rest >= 2)
            {
                h ^= (data[(length & ~3) + 1] & 0xff) << 8;
            }

            if (rest >= 1)
            {
                h ^= data[length & ~3] & 0xff;
                h *= m;
            }

            h ^= (int)((uint)h >> 13);
            h *= m;
            h ^= (int)((uint)h >> 15);
            return h;
        }
    }
}
