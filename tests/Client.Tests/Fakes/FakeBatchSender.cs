using Orlog.Errors;
using Orlog.Partitions;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>Records every produce call and lets the test answer it when it likes.</summary>
internal sealed class FakeBatchSender : IBatchSender
{
    private readonly Lock _lock = new();
    private readonly List<SentRequest> _requests = [];

    /// <summary>When set, every call is answered at once with success from this offset on.</summary>
    public bool AutoSucceed { get; set; }

    private long _nextOffset;

    public IReadOnlyList<SentRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public Task<ProduceResult> ProduceAsync(TopicPartition partition, ProduceBatches batches, Acks acks)
    {
        // A copy: the producer gives a request's buffer back to its pool once the call succeeded.
        var request = new SentRequest(partition, batches.Span.ToArray(), acks) { Sent = batches };
        lock (_lock)
        {
            _requests.Add(request);
            if (AutoSucceed)
            {
                request.Succeed(_nextOffset);
                _nextOffset += request.RecordCount;
            }
        }

        return request.Response.Task;
    }

    /// <summary>The producer id every idempotent producer gets from this sender.</summary>
    public long ProducerId { get; set; } = 7;

    public Task<long> InitProducerIdAsync() => Task.FromResult(ProducerId);
}

/// <summary>One produce call: the bytes as sent, and the answer the test gives.</summary>
internal sealed class SentRequest
{
    public SentRequest(TopicPartition partition, byte[] batches, Acks acks)
    {
        Partition = partition;
        Batches = batches;
        Acks = acks;

        // Read now: the broker owns the buffer after the call, and would stamp it.
        var summary = RecordBatchValidator.Validate(batches, int.MaxValue);
        BatchCount = summary.BatchCount;
        RecordCount = (int)summary.RecordCount;
    }

    public TopicPartition Partition { get; }

    /// <summary>A copy of the request's bytes as they were sent.</summary>
    public byte[] Batches { get; }

    /// <summary>The request as the producer handed it over (its buffer may be back in the pool).</summary>
    public ProduceBatches? Sent { get; init; }

    public Acks Acks { get; }

    public int BatchCount { get; }

    public int RecordCount { get; }

    /// <summary>Continuations run inline, so the producer has reacted by the time Succeed or Fail returns.</summary>
    public TaskCompletionSource<ProduceResult> Response { get; } = new();

    public void Succeed(long baseOffset, long logAppendTime = -1) =>
        Response.SetResult(new ProduceResult(baseOffset, baseOffset + RecordCount - 1, logAppendTime, 0));

    /// <summary>Succeeds as a broker does for a retry whose first batches were stored earlier: each batch at its own offset.</summary>
    public void SucceedAt(long[] batchOffsets) =>
        Response.SetResult(new ProduceResult(batchOffsets[0], batchOffsets[^1], -1, 0, batchOffsets));

    public void Fail(ErrorCode code) => Response.SetException(new OrlogException(code, "injected by the test"));
}
