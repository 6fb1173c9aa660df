using System.Buffers.Binary;
using System.Numerics;

namespace Orlog.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of Kafka's record batch v2.
/// </summary>
/// <remarks>
/// System.IO.Hashing 10.0 has no Castagnoli variant. Long inputs are folded with carry-less
/// multiplication on 512-bit vectors (<see cref="Crc32CFolding"/>) where the CPU has it; the
/// rest goes through the CRC32C instruction (SSE4.2 / ARMv8) that
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> exposes, eight bytes at a time.
/// </remarks>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC over more data: <c>Append(Compute(a), b) == Compute(a + b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        if (Crc32CFolding.IsSupported && data.Length >= Crc32CFolding.MinimumLength)
        {
            state = Crc32CFolding.Fold(state, data, out var consumed);
            data = data[consumed..];
        }

        return ~Update(state, data);
    }

    /// <summary>Advances a raw (not inverted) CRC state over <paramref name="data"/>, one instruction per eight bytes.</summary>
    internal static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return state;
    }
}
