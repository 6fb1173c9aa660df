using Orlog.Errors;

namespace Orlog.Records;

/// <summary>
/// The variable-length integers of the record format: zig-zag encoded, then base-128 with the
/// high bit of each byte saying another byte follows, least significant group first (as in
/// Protocol Buffers' sint32/sint64). Zig-zag maps 0, -1, 1, -2 … to 0, 1, 2, 3 … so that small
/// negative numbers such as the null length -1 take one byte.
/// </summary>
public static class Varint
{
    public const int MaxVarintBytes = 5;
    public const int MaxVarlongBytes = 10;

    public static int SizeOfVarint(int value) => SizeOfUnsigned(ZigZag(value));

    public static int SizeOfVarlong(long value) => SizeOfUnsigned(ZigZag(value));

    /// <summary>Writes <paramref name="value"/> and returns the bytes written (1 to 5).</summary>
    public static int WriteVarint(Span<byte> destination, int value) => WriteUnsigned(destination, ZigZag(value));

    /// <summary>Writes <paramref name="value"/> and returns the bytes written (1 to 10).</summary>
    public static int WriteVarlong(Span<byte> destination, long value) => WriteUnsigned(destination, ZigZag(value));

    /// <exception cref="OrlogException">CORRUPT_MESSAGE when the bytes end mid-varint or it is longer than 5 bytes or 32 bits.</exception>
    public static int ReadVarint(ReadOnlySpan<byte> source, out int bytesRead)
    {
        var raw = ReadUnsigned(source, MaxVarintBytes, out bytesRead);
        if (raw > uint.MaxValue)
        {
            throw Malformed($"a varint carries {64 - ulong.LeadingZeroCount(raw)} bits; at most 32 fit");
        }

        var unsigned = (uint)raw;
        return (int)(unsigned >> 1) ^ -(int)(unsigned & 1);
    }

    /// <exception cref="OrlogException">CORRUPT_MESSAGE when the bytes end mid-varlong or it is longer than 10 bytes or 64 bits.</exception>
    public static long ReadVarlong(ReadOnlySpan<byte> source, out int bytesRead)
    {
        var unsigned = ReadUnsigned(source, MaxVarlongBytes, out bytesRead);
        return (long)(unsigned >> 1) ^ -(long)(unsigned & 1);
    }

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static int SizeOfUnsigned(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        var written = 0;
        while (value >= 0x80)
        {
            destination[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[written++] = (byte)value;
        return written;
    }

    private static ulong ReadUnsigned(ReadOnlySpan<byte> source, int maxBytes, out int bytesRead)
    {
        ulong value = 0;
        for (var i = 0; i < maxBytes; i++)
        {
            if (i == source.Length)
            {
                throw Malformed($"the data ends after {i} bytes, in the middle of a varint");
            }

            var b = source[i];
            var shift = 7 * i;
            // The last group of a varlong has room for one bit only; more would be lost silently.
            if (shift == 63 && b > 1)
            {
                throw Malformed("a varlong carries more than 64 bits");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                bytesRead = i + 1;
                return value;
            }
        }

        throw Malformed($"a varint runs past {maxBytes} bytes");
    }

    private static OrlogException Malformed(string what) =>
        new(ErrorCode.CorruptMessage, $"Malformed record data: {what}.");
}
