using Orlog.Errors;
using Orlog.Records;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Client;

/// <summary>A decoded record, or the error that took its place (a key or value that did not deserialize).</summary>
internal readonly record struct DecodedRecord<TKey, TValue>(long Offset, ConsumeResult<TKey, TValue>? Result, ConsumeException? Error);

/// <summary>
/// Turns fetched batches into <see cref="ConsumeResult{TKey, TValue}"/>s, one batch at a time, on the
/// consumer's thread (deserializers are app code and run where Consume is called).
/// </summary>
/// <remarks>
/// A fetch returns whole batches, so the first may start before the offset asked for: records below
/// <c>minOffset</c> are skipped, as Kafka consumers do. Control batches (transaction markers) are skipped.
/// </remarks>
internal sealed class BatchDecoder<TKey, TValue>(TopicPartition partition, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer, bool checkCrcs)
{
    private readonly SerializationContext _keyContext = new(MessageComponentType.Key, partition.Topic);
    private readonly SerializationContext _valueContext = new(MessageComponentType.Value, partition.Topic);

    /// <summary>Decodes the batch at <paramref name="position"/> and moves past it.</summary>
    /// <returns>False when no whole batch starts at <paramref name="position"/>.</returns>
    /// <exception cref="ConsumeException">CORRUPT_MESSAGE for a batch that fails its CRC or cannot be read.</exception>
    public bool DecodeNext(ReadOnlySpan<byte> chunk, ref int position, long minOffset, Queue<DecodedRecord<TKey, TValue>> output)
    {
        var remaining = chunk[position..];
        if (remaining.Length < HeaderSize)
        {
            return false;
        }

        var header = new RecordBatchHeader(remaining);
        var size = header.SizeInBytes;
        if (size > remaining.Length || size < HeaderSize)
        {
            return false;
        }

        var batch = remaining[..size];
        position += size;
        if (header.IsControl || header.LastOffset < minOffset)
        {
            return true;
        }

        if (checkCrcs && !RecordBatch.IsCrcValid(batch))
        {
            throw new ConsumeException(
                new TopicPartitionOffset(partition, header.BaseOffset),
                new OrlogException(ErrorCode.CorruptMessage, $"The batch at offset {header.BaseOffset} fails its CRC-32C check."));
        }

        var timestampType = header.TimestampType;
        try
        {
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                if (record.Offset >= minOffset)
                {
                    output.Enqueue(Decode(record, timestampType));
                }
            }
        }
        catch (OrlogException e)
        {
            throw new ConsumeException(new TopicPartitionOffset(partition, header.BaseOffset), e);
        }

        return true;
    }

    private DecodedRecord<TKey, TValue> Decode(in Record record, TimestampType timestampType)
    {
        TKey key;
        TValue value;
        try
        {
            key = keyDeserializer.Deserialize(record.Key, record.IsKeyNull, _keyContext);
            value = valueDeserializer.Deserialize(record.Value, record.IsValueNull, _valueContext);
        }
        catch (Exception e)
        {
            var error = e as OrlogException ?? new OrlogException(ErrorCode.InvalidRecord, $"The record could not be deserialized: {e.Message}", e);
            return new DecodedRecord<TKey, TValue>(record.Offset, null, new ConsumeException(new TopicPartitionOffset(partition, record.Offset), error));
        }

        Headers? headers = null;
        if (record.HeaderCount > 0)
        {
            headers = [];
            foreach (var header in record.Headers)
            {
                headers.Add(System.Text.Encoding.UTF8.GetString(header.Key), header.IsValueNull ? null : header.Value.ToArray());
            }
        }

        var result = new ConsumeResult<TKey, TValue>
        {
            Topic = partition.Topic,
            Partition = partition.Partition,
            Offset = record.Offset,
            Message = new Message<TKey, TValue>
            {
                Key = key,
                Value = value,
                Timestamp = new Timestamp(record.Timestamp, timestampType),
                Headers = headers,
            },
        };
        return new DecodedRecord<TKey, TValue>(record.Offset, result, null);
    }
}
