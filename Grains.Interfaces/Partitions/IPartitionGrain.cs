using Orleans;
using Orleans.Concurrency;

namespace Orlog.Partitions;

/// <summary>
/// A partition's leader (key: <c>topic/partition</c>, see <see cref="PartitionKey"/>): produce,
/// fetch with long poll, list offsets, delete records. Every failure is an
/// <see cref="Errors.OrlogException"/> with a Kafka-style code; a rejected request stores nothing.
/// </summary>
/// <remarks>
/// Batches travel as <see cref="ProduceBatches"/> (an <see cref="Immutable{T}"/> byte array converts to it):
/// a co-hosted caller's buffer is passed by reference, not copied. The broker stamps offsets into the
/// buffer it receives, so a producer hands the buffer over and must not reuse it.
/// </remarks>
[Alias("orlog.partition")]
public interface IPartitionGrain : IGrainWithStringKey
{
    /// <summary>Appends one or more record batches (v2, back to back).</summary>
    /// <exception cref="Errors.OrlogException">
    /// UNKNOWN_TOPIC_OR_PARTITION, CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, INVALID_RECORD,
    /// UNSUPPORTED_COMPRESSION_TYPE, INVALID_REQUIRED_ACKS, KAFKA_STORAGE_ERROR.
    /// </exception>
    [Alias("produce")]
    Task<ProduceResult> ProduceAsync(ProduceBatches batches, Acks acks);

    /// <summary>
    /// Reads whole batches from <paramref name="offset"/>, at most <paramref name="maxBytes"/> (but
    /// at least one batch). When fewer than <paramref name="minBytes"/> are available it waits up to
    /// <paramref name="maxWait"/> for more (long poll) without holding up produces.
    /// </summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE (with the valid range), INVALID_FETCH_SIZE, INVALID_REQUEST.</exception>
    [Alias("fetch")]
    Task<FetchResult> FetchAsync(long offset, int maxBytes, int minBytes, TimeSpan maxWait);

    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST.</exception>
    [Alias("list-offsets")]
    Task<ListOffsetsResult> ListOffsetsAsync(OffsetSpec spec);

    /// <summary>Kafka's DeleteRecords: moves the log start to <paramref name="offset"/> (-1: the high watermark); returns the new log start.</summary>
    /// <exception cref="Errors.OrlogException">UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE.</exception>
    [Alias("delete-records")]
    Task<long> DeleteRecordsAsync(long offset);
}
