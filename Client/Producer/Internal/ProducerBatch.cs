using Orlog.Errors;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// One record batch of a partition on its way to the broker: the records encoded so far (in a
/// <see cref="RecordBatchBuilder"/>), who to tell when it is acknowledged, and its send state.
/// </summary>
/// <remarks>
/// Appends and state changes happen under the partition queue's lock. Once drained for sending, the
/// batch is no longer appended to; its builder is kept until the batch completes, so that a retry
/// rebuilds the bytes into a fresh array instead of resending the one the broker may still hold.
/// </remarks>
internal sealed class ProducerBatch
{
    private readonly List<PendingRecord> _records = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _baseOffset = -1;
    private long _logAppendTime = -1;
    private OrlogException? _error;

    public ProducerBatch(PartitionQueue queue, RecordBatchBuilder builder, long createdAt)
    {
        Queue = queue;
        Builder = builder;
        CreatedAt = createdAt;
    }

    public PartitionQueue Queue { get; }

    public TopicPartition TopicPartition => Queue.TopicPartition;

    /// <summary>Null once the batch completed and the builder went back to the pool.</summary>
    public RecordBatchBuilder? Builder { get; private set; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> at creation, for linger and delivery timeout.</summary>
    public long CreatedAt { get; }

    public int Count => _records.Count;

    /// <summary>Uncompressed size of the batch as built now.</summary>
    public int SizeInBytes { get; private set; }

    /// <summary>Bytes reserved from <see cref="BufferMemory"/> for the records.</summary>
    public long ReservedBytes { get; private set; }

    /// <summary>Times the batch was sent.</summary>
    public int Attempts { get; set; }

    /// <summary>An idempotent producer's id, epoch and first sequence number for the batch (kept across retries); -1 when it has none yet.</summary>
    public long ProducerId { get; set; } = Records.RecordBatchLayout.NoProducerId;

    public short ProducerEpoch { get; set; } = Records.RecordBatchLayout.NoProducerEpoch;

    public int BaseSequence { get; set; } = Records.RecordBatchLayout.NoSequence;

    /// <summary>Reached <c>batch.size</c>, or the next record did not fit: send as soon as a slot is free.</summary>
    public bool IsFull { get; set; }

    public bool LingerExpired { get; set; }

    /// <summary>Failed with a retriable error and waits out its backoff at the head of the queue.</summary>
    public bool InBackoff { get; set; }

    public ITimer? LingerTimer { get; set; }

    /// <summary>Completes (never faults) when every record of the batch has been reported.</summary>
    public Task Completion => _completion.Task;

    public void Append(in ProducerRecord record, IDeliveryHandler handler, long reservedBytes)
    {
        Builder!.Append(record);
        _records.Add(new PendingRecord(handler, record.Timestamp));
        SizeInBytes = Builder.UncompressedSizeInBytes;
        ReservedBytes += reservedBytes;
    }

    public void DisposeLingerTimer()
    {
        LingerTimer?.Dispose();
        LingerTimer = null;
    }

    /// <summary>Takes the builder back for reuse; the batch must be complete.</summary>
    public RecordBatchBuilder? DetachBuilder()
    {
        var builder = Builder;
        Builder = null;
        return builder;
    }

    public void Succeeded(long baseOffset, long logAppendTime)
    {
        _baseOffset = baseOffset;
        _logAppendTime = logAppendTime;
    }

    public void Failed(OrlogException error) => _error = error;

    /// <summary>Reports every record, then completes <see cref="Completion"/>; runs on a thread-pool thread.</summary>
    public void ReportDeliveries()
    {
        try
        {
            var partition = TopicPartition;
            for (var i = 0; i < _records.Count; i++)
            {
                var record = _records[i];
                if (_error is not null)
                {
                    record.Handler.OnFailed(partition, _error);
                    continue;
                }

                var offset = _baseOffset >= 0 ? _baseOffset + i : Offset.UnsetValue;
                var timestamp = _logAppendTime >= 0
                    ? new Timestamp(_logAppendTime, TimestampType.LogAppendTime)
                    : new Timestamp(record.Timestamp, TimestampType.CreateTime);
                record.Handler.OnDelivered(partition, offset, timestamp);
            }
        }
        finally
        {
            _completion.TrySetResult();
        }
    }
}
