using System.Threading.Channels;
using Orlog.Errors;
using Orlog.Partitions;
using Orlog.Records;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Client;

/// <summary>
/// The background fetch loop of one assigned partition: it long-polls the leader from the current
/// offset and queues what it gets, so the next fetch is under way while the app processes the last.
/// </summary>
/// <remarks>
/// At most <see cref="PrefetchDepth"/> fetched chunks wait in the queue, so a partition holds about
/// (depth + 2) × <c>max.partition.fetch.bytes</c> (queued, being decoded, being fetched).
/// Retriable errors back off exponentially; an out-of-range offset is reset per
/// <c>auto.offset.reset</c>; any other error is queued for Consume to raise and stops the loop.
/// </remarks>
internal sealed class PartitionFetcher : IAsyncDisposable
{
    public const int PrefetchDepth = 2;

    private readonly ConsumerConfig _config;
    private readonly IFetchClient _client;
    private readonly TimeProvider _time;
    private readonly Action _onQueued;
    private readonly Channel<FetchedChunk> _chunks = Channel.CreateBounded<FetchedChunk>(
        new BoundedChannelOptions(PrefetchDepth) { SingleReader = true, SingleWriter = true });

    private readonly CancellationTokenSource _stop = new();
    private readonly long _startOffset;
    private Task _loop = Task.CompletedTask;
    private long _resolvedStart = Offset.UnsetValue;

    public PartitionFetcher(TopicPartition partition, long startOffset, ConsumerConfig config, IFetchClient client, TimeProvider time, Action onQueued)
    {
        TopicPartition = partition;
        _startOffset = startOffset;
        _config = config;
        _client = client;
        _time = time;
        _onQueued = onQueued;
    }

    public TopicPartition TopicPartition { get; }

    /// <summary>The start offset once Beginning/End has been resolved; <see cref="Offset.UnsetValue"/> before.</summary>
    public long ResolvedStart => Interlocked.Read(ref _resolvedStart);

    public ChannelReader<FetchedChunk> Chunks => _chunks.Reader;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        var target = _startOffset;
        long offset = Offset.UnsetValue;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (offset < 0)
                {
                    offset = await ResolveAsync(target, stop).ConfigureAwait(false);
                    Interlocked.Exchange(ref _resolvedStart, offset);
                }

                var result = await _client.FetchAsync(TopicPartition, offset, MaxBytes, _config.FetchMinBytes, TimeSpan.FromMilliseconds(_config.FetchMaxWaitMs))
                    .WaitAsync(stop).ConfigureAwait(false);
                failures = 0;
                if (result.Records.Length == 0)
                {
                    continue;
                }

                var next = NextOffset(result.Records, offset);
                if (next <= offset)
                {
                    throw new OrlogException(ErrorCode.CorruptMessage, $"A fetch at offset {offset} returned {result.Records.Length} bytes but no batch at or past that offset.");
                }

                await _chunks.Writer.WriteAsync(new FetchedChunk(result.Records, offset, next, result.HighWatermark), stop).ConfigureAwait(false);
                _onQueued();
                offset = next;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (OrlogException e) when (e.Code == ErrorCode.OffsetOutOfRange && _config.AutoOffsetReset != AutoOffsetReset.Error)
            {
                // auto.offset.reset: the position was deleted by retention or lies past the end; resolved on the next turn.
                target = _config.AutoOffsetReset == AutoOffsetReset.Earliest ? Offset.BeginningValue : Offset.EndValue;
                offset = Offset.UnsetValue;
            }
            catch (OrlogException e) when (RetryPolicy.IsRetriable(e.Code))
            {
                failures++;
                var backoff = RetryPolicy.Backoff(failures, _config.RetryBackoffMs, _config.RetryBackoffMaxMs, Random.Shared.NextDouble());
                try
                {
                    await Task.Delay(backoff, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            catch (Exception e)
            {
                var error = e as OrlogException ?? ClusterErrors.Translate(e, $"Fetch from {TopicPartition}");
                _chunks.Writer.TryWrite(new FetchedChunk([], offset, offset, -1, error));
                _onQueued();
                break;
            }
        }

        _chunks.Writer.TryComplete();
    }

    private int MaxBytes => Math.Min(_config.MaxPartitionFetchBytes, _config.FetchMaxBytes);

    private async Task<long> ResolveAsync(long offset, CancellationToken stop)
    {
        if (offset >= 0)
        {
            return offset;
        }

        var spec = offset == Offset.BeginningValue ? OffsetSpec.Earliest : OffsetSpec.Latest;
        var result = await _client.ListOffsetsAsync(TopicPartition, spec).WaitAsync(stop).ConfigureAwait(false);
        return result.Offset;
    }

    /// <summary>Just past the last whole batch of <paramref name="records"/> (a trailing partial batch is left for the next fetch).</summary>
    internal static long NextOffset(ReadOnlySpan<byte> records, long offset)
    {
        var next = offset;
        var position = 0;
        while (records.Length - position >= HeaderSize)
        {
            var header = new RecordBatchHeader(records[position..]);
            if (header.SizeInBytes > records.Length - position || header.SizeInBytes < HeaderSize)
            {
                break;
            }

            next = Math.Max(next, header.NextOffset);
            position += header.SizeInBytes;
        }

        return next;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
