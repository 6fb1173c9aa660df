using System.Collections.Concurrent;
using Orlog.Errors;
using Orlog.Partitions;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// A partition log in memory: fetches return whole batches from the one holding the offset on; a
/// fetch at the log end waits until the consumer stops it (a long poll that never fills).
/// </summary>
internal sealed class FakeFetchClient : IFetchClient
{
    private readonly ConcurrentDictionary<TopicPartition, List<byte[]>> _logs = new();
    private readonly ConcurrentDictionary<TopicPartition, long> _logStart = new();

    public ConcurrentQueue<(TopicPartition Partition, long Offset)> Fetches { get; } = new();

    public void Append(TopicPartition partition, byte[] batch) => _logs.GetOrAdd(partition, _ => []).Add(batch);

    public void SetLogStart(TopicPartition partition, long offset) => _logStart[partition] = offset;

    public Task<FetchResult> FetchAsync(TopicPartition partition, long offset, int maxBytes, int minBytes, TimeSpan maxWait)
    {
        Fetches.Enqueue((partition, offset));
        var (start, end) = Bounds(partition);
        if (offset < start || offset > end)
        {
            return Task.FromException<FetchResult>(new OffsetOutOfRangeException(offset, start, end));
        }

        var records = new List<byte>();
        foreach (var batch in _logs.GetValueOrDefault(partition) ?? [])
        {
            var header = new RecordBatchHeader(batch);
            if (header.LastOffset >= offset && (records.Count == 0 || records.Count + batch.Length <= maxBytes))
            {
                records.AddRange(batch);
            }
        }

        return records.Count == 0
            ? new TaskCompletionSource<FetchResult>().Task
            : Task.FromResult(new FetchResult([.. records], end, start));
    }

    public Task<ListOffsetsResult> ListOffsetsAsync(TopicPartition partition, OffsetSpec spec)
    {
        var (start, end) = Bounds(partition);
        return Task.FromResult(spec.Value switch
        {
            OffsetSpec.EarliestValue => new ListOffsetsResult(start, -1),
            OffsetSpec.LatestValue => new ListOffsetsResult(end, -1),
            _ => ByTime(partition, spec.Value),
        });
    }

    private ListOffsetsResult ByTime(TopicPartition partition, long timestamp)
    {
        foreach (var batch in _logs.GetValueOrDefault(partition) ?? [])
        {
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                if (record.Timestamp >= timestamp)
                {
                    return new ListOffsetsResult(record.Offset, record.Timestamp);
                }
            }
        }

        return new ListOffsetsResult(-1, -1);
    }

    private (long Start, long End) Bounds(TopicPartition partition)
    {
        var batches = _logs.GetValueOrDefault(partition) ?? [];
        var end = batches.Count == 0 ? 0 : new RecordBatchHeader(batches[^1]).NextOffset;
        return (_logStart.GetValueOrDefault(partition), end);
    }
}
