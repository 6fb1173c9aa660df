using System.Buffers;
using Orlog.Records;

namespace Orlog.Benchmarks.Infrastructure;

/// <summary>Uncompressed v2 record batches of an exact size, built once and appended many times.</summary>
internal static class SampleBatches
{
    /// <summary>
    /// One batch of exactly <paramref name="sizeInBytes"/> bytes holding <paramref name="records"/>
    /// records with null keys and filler values of about equal length.
    /// </summary>
    public static byte[] Build(int sizeInBytes, int records)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var valueLength = Math.Max(0, ((sizeInBytes - RecordBatchLayout.HeaderSize) / records) - 8);
        var lastLength = valueLength;
        var builder = new RecordBatchBuilder();
        var value = new byte[sizeInBytes];
        Random.Shared.NextBytes(value);

        // Varint lengths make the size of a record a step function of its value length: adjust the last record until the batch fits exactly.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            builder.Reset();
            for (var i = 0; i < records - 1; i++)
            {
                builder.Append(timestamp, null, value.AsMemory(0, valueLength));
            }

            builder.Append(timestamp, null, value.AsMemory(0, Math.Max(0, lastLength)));
            var output = new ArrayBufferWriter<byte>(sizeInBytes + 64);
            var size = builder.Build(output);
            if (size == sizeInBytes)
            {
                return output.WrittenSpan.ToArray();
            }

            lastLength += sizeInBytes - size;
        }

        throw new InvalidOperationException($"Could not build a batch of exactly {sizeInBytes} bytes with {records} records.");
    }

    /// <summary>Records per batch: about 1 KiB each, at least 4.</summary>
    public static int RecordsFor(int sizeInBytes) => Math.Max(4, sizeInBytes / 1024);

    /// <summary>The offset after the last whole batch in <paramref name="batches"/>.</summary>
    public static long NextOffsetAfter(ReadOnlySpan<byte> batches)
    {
        var next = -1L;
        while (batches.Length >= RecordBatchLayout.HeaderSize)
        {
            var header = new RecordBatchHeader(batches);
            next = header.NextOffset;
            batches = batches[header.SizeInBytes..];
        }

        return next;
    }
}
