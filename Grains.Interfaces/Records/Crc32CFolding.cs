using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Orlog.Records;

/// <summary>
/// CRC-32C of long inputs by folding: eight 512-bit accumulators (512 bytes) advance over the
/// data with carry-less multiplications (VPCLMULQDQ), several times faster than the CRC32C
/// instruction, whose single dependency chain caps it near 8 bytes per 3 cycles.
/// </summary>
/// <remarks>
/// The math, in the bit-reflected order CRC-32C uses (the first byte's low bit is the highest
/// power of x). A CRC is a remainder modulo P, so any message may be replaced by a shorter one
/// congruent to it modulo P. Take each 128-bit lane of the accumulators as a polynomial
/// <c>h·x^64 + l</c> (<c>h</c> the first eight bytes). Moving it <c>D = 4096</c> bits on
/// (one 512-byte block) multiplies it by <c>x^D</c>; <c>h·(x^(D+64) mod P) + l·(x^D mod P)</c>
/// is congruent and fits in 96 bits, and the next block's lane is added (XOR) to it. A
/// carry-less multiply of two bit-reflected 64-bit values yields the reflected product shifted
/// by one bit, so the constants are <c>x^(D+63) mod P</c> and <c>x^(D-1) mod P</c>, reflected.
/// At the end the eight accumulators are a 512-byte message congruent to everything folded; the
/// same step with <c>D = 512</c> folds them into the last 64 bytes, and the CRC32C instruction
/// reduces those. The incoming CRC state enters as an XOR into the first four bytes, as the
/// instruction itself defines it. (The loop keeps all eight accumulators in registers: a
/// <c>stackalloc</c> in this method made the JIT spill them to the stack on every block.)
/// </remarks>
internal static class Crc32CFolding
{
    private const int LaneBytes = 64;
    private const int BlockBytes = 8 * LaneBytes;

    /// <summary>CRC-32C's polynomial with its x^32 term, in normal (not reflected) bit order.</summary>
    private const ulong Polynomial = 0x1_1EDC_6F41;

    /// <summary>Inputs shorter than this are not worth the set-up and the final reduction.</summary>
    public const int MinimumLength = 2 * BlockBytes;

    private static readonly Vector512<ulong> FoldConstants = CreateFoldConstants(BlockBytes * 8);

    private static readonly Vector512<ulong> LaneFoldConstants = CreateFoldConstants(LaneBytes * 8);

    public static bool IsSupported => Pclmulqdq.V512.IsSupported && Avx512F.IsSupported;

    /// <summary>Folds whole 512-byte blocks from the start of <paramref name="data"/>; returns the raw CRC state after them.</summary>
    public static uint Fold(uint state, ReadOnlySpan<byte> data, out int consumed)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var a0 = Load(ref start, 0) ^ Vector512.CreateScalar((ulong)state);
        var a1 = Load(ref start, 1 * LaneBytes);
        var a2 = Load(ref start, 2 * LaneBytes);
        var a3 = Load(ref start, 3 * LaneBytes);
        var a4 = Load(ref start, 4 * LaneBytes);
        var a5 = Load(ref start, 5 * LaneBytes);
        var a6 = Load(ref start, 6 * LaneBytes);
        var a7 = Load(ref start, 7 * LaneBytes);
        var constants = FoldConstants;
        var offset = BlockBytes;
        while (data.Length - offset >= BlockBytes)
        {
            a0 = FoldInto(a0, constants, Load(ref start, offset));
            a1 = FoldInto(a1, constants, Load(ref start, offset + (1 * LaneBytes)));
            a2 = FoldInto(a2, constants, Load(ref start, offset + (2 * LaneBytes)));
            a3 = FoldInto(a3, constants, Load(ref start, offset + (3 * LaneBytes)));
            a4 = FoldInto(a4, constants, Load(ref start, offset + (4 * LaneBytes)));
            a5 = FoldInto(a5, constants, Load(ref start, offset + (5 * LaneBytes)));
            a6 = FoldInto(a6, constants, Load(ref start, offset + (6 * LaneBytes)));
            a7 = FoldInto(a7, constants, Load(ref start, offset + (7 * LaneBytes)));
            offset += BlockBytes;
        }

        // Fold the eight lanes into the last one (each lane moves one lane on), then reduce its 64 bytes.
        var laneConstants = LaneFoldConstants;
        a1 = FoldInto(a0, laneConstants, a1);
        a2 = FoldInto(a1, laneConstants, a2);
        a3 = FoldInto(a2, laneConstants, a3);
        a4 = FoldInto(a3, laneConstants, a4);
        a5 = FoldInto(a4, laneConstants, a5);
        a6 = FoldInto(a5, laneConstants, a6);
        a7 = FoldInto(a6, laneConstants, a7);
        consumed = offset;
        uint reduced = 0;
        for (var i = 0; i < Vector512<ulong>.Count; i++)
        {
            reduced = BitOperations.Crc32C(reduced, a7.GetElement(i));
        }

        return reduced;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Load(ref byte start, int offset) =>
        Vector512.LoadUnsafe(ref start, (nuint)offset).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> FoldInto(Vector512<ulong> accumulator, Vector512<ulong> constants, Vector512<ulong> next) =>
        Pclmulqdq.V512.CarrylessMultiply(accumulator, constants, 0x00)
        ^ Pclmulqdq.V512.CarrylessMultiply(accumulator, constants, 0x11)
        ^ next;

    /// <summary>Per 128-bit lane: the constant for the first eight bytes, then for the last eight.</summary>
    private static Vector512<ulong> CreateFoldConstants(int distanceBits)
    {
        var high = Reflect(PowerOfXModP(distanceBits + 63));
        var low = Reflect(PowerOfXModP(distanceBits - 1));
        return Vector512.Create(high, low, high, low, high, low, high, low);
    }

    private static ulong PowerOfXModP(int exponent)
    {
        ulong remainder = 1;
        for (var i = 0; i < exponent; i++)
        {
            remainder <<= 1;
            if ((remainder & (1UL << 32)) != 0)
            {
                remainder ^= Polynomial;
            }
        }

        return remainder;
    }

    /// <summary>Reverses the bits of a 64-bit value: coefficient of x^i goes to bit 63 - i.</summary>
    private static ulong Reflect(ulong value)
    {
        ulong reflected = 0;
        for (var i = 0; i < 64; i++)
        {
            reflected = (reflected << 1) | ((value >> i) & 1);
        }

        return reflected;
    }
}
