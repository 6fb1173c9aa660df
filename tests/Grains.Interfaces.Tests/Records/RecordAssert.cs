using System.Text;
using Xunit;

namespace Orlog.Records;

/// <summary>Decodes a batch with <see cref="RecordBatchReader"/> and compares it with what the producer appended.</summary>
internal static class RecordAssert
{
    public static void ReadsBack(IReadOnlyList<ProducerRecord> expected, ReadOnlySpan<byte> batch, long baseOffset = 0)
    {
        using var reader = new RecordBatchReader(batch);
        var index = 0;
        foreach (var record in reader)
        {
            var appended = expected[index];
            Assert.Equal(baseOffset + index, record.Offset);
            Assert.Equal(index, record.OffsetDelta);
            Assert.Equal(appended.Timestamp, record.Timestamp);
            Assert.Equal(0, record.Attributes);
            BytesEqual(appended.Key, record.Key, record.IsKeyNull);
            BytesEqual(appended.Value, record.Value, record.IsValueNull);

            var headers = appended.Headers ?? [];
            Assert.Equal(headers.Count, record.HeaderCount);
            var headerIndex = 0;
            foreach (var header in record.Headers)
            {
                Assert.Equal(headers[headerIndex].Key, Encoding.UTF8.GetString(header.Key));
                BytesEqual(headers[headerIndex].Value, header.Value, header.IsValueNull);
                headerIndex++;
            }

            Assert.Equal(headers.Count, headerIndex);
            index++;
        }

        Assert.Equal(expected.Count, index);
    }

    public static void BytesEqual(ReadOnlyMemory<byte>? expected, ReadOnlySpan<byte> actual, bool actualIsNull)
    {
        Assert.Equal(expected is null, actualIsNull);
        Assert.Equal(expected?.ToArray() ?? [], actual.ToArray());
    }
}
