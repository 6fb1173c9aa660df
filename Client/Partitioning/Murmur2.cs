namespace Orlog.Client;

/// <summary>
/// Kafka's key hash (<c>org.apache.kafka.common.utils.Utils.murmur2</c>): the 32-bit MurmurHash2
/// variant with seed <c>0x9747b28c</c>, reading the data as little-endian 4-byte words, so that a
/// key lands on the same partition as it would with Kafka's Java producer.
/// </summary>
public static class Murmur2
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;
    private const int R = 24;

    /// <summary>The hash as Java returns it: a signed 32-bit int.</summary>
    public static int Hash(ReadOnlySpan<byte> data)
    {
        // Java ints wrap on overflow; uint arithmetic in an unchecked context gives the same bits.
        unchecked
        {
            var length = data.Length;
            var h = Seed ^ (uint)length;
            var words = length / 4;
            for (var i = 0; i < words; i++)
            {
                var i4 = i * 4;
                var k = data[i4] | ((uint)data[i4 + 1] << 8) | ((uint)data[i4 + 2] << 16) | ((uint)data[i4 + 3] << 24);
                k *= M;
                k ^= k >> R;
                k *= M;
                h *= M;
                h ^= k;
            }

            var tail = length & ~3;
            switch (length % 4)
            {
                case 3:
                    h ^= (uint)data[tail + 2] << 16;
                    h ^= (uint)data[tail + 1] << 8;
                    h ^= data[tail];
                    h *= M;
                    break;
                case 2:
                    h ^= (uint)data[tail + 1] << 8;
                    h ^= data[tail];
                    h *= M;
                    break;
                case 1:
                    h ^= data[tail];
                    h *= M;
                    break;
                default:
                    break;
            }

            h ^= h >> 13;
            h *= M;
            h ^= h >> 15;
            return (int)h;
        }
    }

    /// <summary>Kafka's <c>Utils.toPositive</c>: clears the sign bit (not <c>Math.Abs</c>, which fails on <see cref="int.MinValue"/>).</summary>
    public static int ToPositive(int number) => number & 0x7fffffff;

    /// <summary>The partition Kafka's default partitioner gives a record with this serialized key.</summary>
    public static int Partition(ReadOnlySpan<byte> keyBytes, int numPartitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numPartitions);
        return ToPositive(Hash(keyBytes)) % numPartitions;
    }
}
