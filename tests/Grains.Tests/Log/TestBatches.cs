using Orlog.Records;
using Xunit;

namespace Orlog.Log;

/// <summary>Builds record batches for log tests and takes read results apart again.</summary>
public static class TestBatches
{
    /// <summary>
    /// One uncompressed batch of <paramref name="records"/> records, timestamps
    /// <paramref name="timestamp"/>, +1, +2, …, each value <paramref name="valueSize"/> bytes of
    /// a pattern that differs per record.
    /// </summary>
    public static byte[] Build(int records, int valueSize, long timestamp)
    {
        var timestamps = new long[records];
        for (var i = 0; i < records; i++)
        {
            timestamps[i] = timestamp + i;
        }

        return Build(timestamps, valueSize);
    }

    /// <summary>One uncompressed batch with a record per timestamp (in that order, not necessarily sorted).</summary>
    public static byte[] Build(IReadOnlyList<long> timestamps, int valueSize)
    {
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < timestamps.Count; i++)
        {
            var value = new byte[valueSize];
            for (var b = 0; b < value.Length; b++)
            {
                value[b] = (byte)(timestamps[i] + (i * 31) + b);
            }

            builder.Append(timestamps[i], key: null, value: value);
        }

        return builder.Build();
    }

    /// <summary>An idempotent producer's batch of <paramref name="records"/> records: producer id, epoch and first sequence number.</summary>
    public static byte[] Idempotent(long producerId, short epoch, int baseSequence, int records)
    {
        var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        for (var i = 0; i < records; i++)
        {
            builder.Append(1_700_000_000_000 + i, key: null, value: new byte[] { (byte)baseSequence, (byte)i });
        }

        return builder.Build();
    }

    /// <summary>Batches back to back in one buffer, for a multi-batch append.</summary>
    public static byte[] Concat(IEnumerable<byte[]> batches) => [.. batches.SelectMany(batch => batch)];

    /// <summary>Cuts whole batches stored back to back into one array each.</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> batches)
    {
        var result = new List<byte[]>();
        var at = 0;
        while (at < batches.Length)
        {
            Assert.True(batches.Length - at >= RecordBatchLayout.HeaderSize, $"a partial batch header at {at}");
            var size = new RecordBatchHeader(batches[at..]).SizeInBytes;
            Assert.True(size <= batches.Length - at, $"a partial batch at {at}");
            result.Add(batches.Slice(at, size).ToArray());
            at += size;
        }

        return result;
    }

    /// <summary>Every batch of the log from its start offset to its end, read in steps.</summary>
    public static List<byte[]> ReadAll(PartitionLog log, int maxBytes = 64 * 1024)
    {
        var result = new List<byte[]>();
        var offset = log.LogStartOffset;
        while (offset < log.LogEndOffset)
        {
            var batches = Split(log.Read(offset, maxBytes).Records.Span);
            Assert.NotEmpty(batches);
            result.AddRange(batches);
            offset = NextOffset(batches[^1]);
        }

        return result;
    }

    public static long BaseOffset(byte[] batch) => new RecordBatchHeader(batch).BaseOffset;

    public static long NextOffset(byte[] batch) => new RecordBatchHeader(batch).NextOffset;

    /// <summary>(offset, timestamp) of every record in the batch.</summary>
    public static List<(long Offset, long Timestamp)> RecordTimestamps(byte[] batch)
    {
        var result = new List<(long, long)>();
        using var reader = new RecordBatchReader(batch);
        foreach (var record in reader)
        {
            result.Add((record.Offset, record.Timestamp));
        }

        return result;
    }
}
