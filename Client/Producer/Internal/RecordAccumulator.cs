using System.Collections.Concurrent;
using Orlog.Errors;
using Orlog.Records;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Client;

/// <summary>
/// Collects records into one batch per partition and sends a partition's batches when they are
/// full (<c>batch.size</c>), have lingered (<c>linger.ms</c>) or a flush asks for them, with at most
/// <c>max.in.flight.requests.per.partition</c> requests outstanding per partition. Ready batches of
/// one partition travel together in one request up to <c>max.request.size</c>.
/// </summary>
/// <remarks>
/// Thread-safe: appends lock only their partition's queue. Sending is event driven, with no thread of
/// its own: an append that fills a batch, a linger or backoff timer, a completed request and a flush
/// each drain the queue they touch. Records hold <see cref="BufferMemory"/> from append until their
/// report, so the accumulator never holds more than <c>buffer.memory</c> bytes of records (as
/// estimated by <see cref="EstimateSize"/>), plus the pooled builders' buffers.
/// </remarks>
internal sealed partial class RecordAccumulator
{
    /// <summary>Builders kept for reuse; each keeps buffers grown to about a batch.</summary>
    private const int MaxPooledBuilders = 16;


    private readonly ProducerConfig _config;
    private readonly IBatchSender _sender;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly BufferMemory _memory;
    private readonly TimeSpan _linger;
    private readonly TimeSpan _maxBlock;
    private readonly ConcurrentDictionary<TopicPartition, PartitionQueue> _queues = new();
    private readonly Lock _incompleteLock = new();
    private readonly HashSet<ProducerBatch> _incomplete = [];
    private readonly ConcurrentBag<RecordBatchBuilder> _builders = [];
    private int _flushing;
    private volatile bool _closed;

    public RecordAccumulator(ProducerConfig config, IBatchSender sender, TimeProvider time, Random? random = null)
    {
        config.Validate();
        _config = config;
        _sender = sender;
        _time = time;
        _random = random ?? new Random();
        _memory = new BufferMemory(config.BufferMemory, time);
        _linger = TimeSpan.FromMilliseconds(config.LingerMs);
        _maxBlock = TimeSpan.FromMilliseconds(config.MaxBlockMs);
    }

    /// <summary>A request for the partition left the queue (the sticky partitioner moves on).</summary>
    public Action<TopicPartition>? BatchSent { get; init; }

    /// <summary>A batch failed for good with this error.</summary>
    public Action<TopicPartition, OrlogException>? BatchFailed { get; init; }

    public BufferMemory Memory => _memory;

    /// <summary>Records appended and not yet reported.</summary>
    public int PendingRecordCount
    {
        get
        {
            lock (_incompleteLock)
            {
                var count = 0;
                foreach (var batch in _incomplete)
                {
                    count += batch.Count;
                }

                return count;
            }
        }
    }

    /// <summary>
    /// An upper bound of the bytes a record takes in a batch: the key, value and headers plus the
    /// largest varints of the record framing. Used to reserve buffer memory and to decide whether
    /// the record still fits the open batch.
    /// </summary>
    public static int EstimateSize(byte[]? key, byte[]? value, IReadOnlyList<RecordHeader>? headers)
    {
        // length, attributes, timestamp delta (varlong), offset delta, key and value lengths, header count.
        long size = 5 + 1 + 10 + 5 + 5 + 5 + 5 + (key?.Length ?? 0) + (value?.Length ?? 0);
        if (headers is not null)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                var header = headers[i];
                size += 5 + (header.Key.Length * 3L) + 5 + (header.Value?.Length ?? 0);
            }
        }

        return (int)Math.Min(size, int.MaxValue);
    }

    /// <summary>
    /// Adds a record to its partition's open batch, first reserving its bytes from the buffer
    /// (waiting up to <c>max.block.ms</c> when it is full). <paramref name="handler"/> hears the outcome.
    /// </summary>
    /// <exception cref="OrlogException">MESSAGE_TOO_LARGE; REQUEST_TIMED_OUT when the buffer stayed full.</exception>
    /// <exception cref="ObjectDisposedException">The producer is closed.</exception>
    public ValueTask AppendAsync(
        TopicPartition partition,
        long timestamp,
        byte[]? key,
        byte[]? value,
        IReadOnlyList<RecordHeader>? headers,
        IDeliveryHandler handler,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var size = EstimateSize(key, value, headers);
        if ((long)size + HeaderSize > _config.MaxRequestSize)
        {
            throw new OrlogException(
                ErrorCode.MessageTooLarge,
                $"The record is about {size} bytes serialized, more than MaxRequestSize ({_config.MaxRequestSize}) allows; send smaller records or raise MaxRequestSize (and the topic's max.message.bytes).");
        }

        var reserved = _memory.ReserveAsync(size, _maxBlock, cancellationToken);
        if (!reserved.IsCompletedSuccessfully)
        {
            return AppendAfterReserveAsync(reserved, partition, size, timestamp, key, value, headers, handler);
        }

        reserved.GetAwaiter().GetResult();
        Append(partition, size, new ProducerRecord(timestamp, Nullable(key), Nullable(value), headers), handler);
        return default;
    }

    private async ValueTask AppendAfterReserveAsync(
        ValueTask reserved,
        TopicPartition partition,
        int size,
        long timestamp,
        byte[]? key,
        byte[]? value,
        IReadOnlyList<RecordHeader>? headers,
        IDeliveryHandler handler)
    {
        await reserved.ConfigureAwait(false);
        Append(partition, size, new ProducerRecord(timestamp, Nullable(key), Nullable(value), headers), handler);
    }

    private void Append(TopicPartition partition, int size, in ProducerRecord record, IDeliveryHandler handler)
    {
        var queue = _queues.GetOrAdd(partition, static (tp, self) => new PartitionQueue(tp, self), this);
        List<ProduceRequest>? requests;
        lock (queue.Lock)
        {
            if (_closed)
            {
                _memory.Release(size);
                throw new ObjectDisposedException(nameof(RecordAccumulator), "The producer is closed.");
            }

            var batch = queue.Open;
            if (batch is not null && batch.SizeInBytes + size > _config.BatchSize)
            {
                batch.IsFull = true;
                batch = queue.Open = null;
            }

            if (batch is null)
            {
                batch = NewBatch(queue);
                queue.Batches.AddLast(batch);
                queue.Open = batch;
            }

            batch.Append(record, handler, size);
            if (batch.SizeInBytes >= _config.BatchSize)
            {
                batch.IsFull = true;
                queue.Open = null;
            }

            requests = Drain(queue, null);
        }

        Send(requests);
    }

    // Under the queue's lock.
    private ProducerBatch NewBatch(PartitionQueue queue)
    {
        if (!_builders.TryTake(out var builder))
        {
            builder = new RecordBatchBuilder();
        }

        builder.Compression = _config.CompressionType;
        var batch = new ProducerBatch(queue, builder, _time.GetTimestamp());
        lock (_incompleteLock)
        {
            _incomplete.Add(batch);
        }

        if (_linger > TimeSpan.Zero)
        {
            batch.LingerTimer = _time.CreateTimer(static s => OnLingerExpired((ProducerBatch)s!), batch, _linger, Timeout.InfiniteTimeSpan);
        }

        return batch;
    }

    private static void OnLingerExpired(ProducerBatch batch)
    {
        var accumulator = batch.Queue.Owner;
        List<ProduceRequest>? requests;
        lock (batch.Queue.Lock)
        {
            batch.LingerExpired = true;
            requests = accumulator.Drain(batch.Queue, null);
        }

        accumulator.Send(requests);
    }

    private bool IsReady(ProducerBatch batch) =>
        !batch.InBackoff
        && (batch.Attempts > 0 || batch.IsFull || batch.LingerExpired || _linger == TimeSpan.Zero || Volatile.Read(ref _flushing) > 0 || _closed);

    /// <summary>
    /// Under the queue's lock: takes the ready batches at the head of the queue into requests while
    /// the partition has request slots, several batches per request up to <c>max.request.size</c>;
    /// an idempotent producer's batches get their sequence numbers here, and wait for its producer id.
    /// </summary>
    private List<ProduceRequest>? Drain(PartitionQueue queue, List<ProduceRequest>? requests)
    {
        if (AwaitsProducerId())
        {
            return requests;
        }

        while (queue.InFlight < _config.MaxInFlightRequestsPerPartition && queue.Batches.First is { } first && IsReady(first.Value))
        {
            var request = new ProduceRequest(queue);
            var total = 0L;
            while (queue.Batches.First is { } node
                && IsReady(node.Value)
                && (request.Batches.Count == 0 || total + node.Value.SizeInBytes <= _config.MaxRequestSize)
                && (!_config.Idempotent || request.Batches.Count < IdempotenceLimits.MaxBatchesPerRequest))
            {
                var batch = node.Value;
                queue.Batches.RemoveFirst();
                if (queue.Open == batch)
                {
                    queue.Open = null;
                }

                batch.DisposeLingerTimer();
                AssignSequence(queue, batch);
                request.Batches.Add(batch);
                total += batch.SizeInBytes;
            }

            queue.InFlight++;
            (requests ??= []).Add(request);
        }

        return requests;
    }

    /// <summary>
    /// Sends every batch now, linger or not, and waits until all records appended before the call
    /// are reported (delivered or failed). Records appended meanwhile are sent at once too.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _flushing);
        try
        {
            Task[] pending;
            lock (_incompleteLock)
            {
                pending = new Task[_incomplete.Count];
                var i = 0;
                foreach (var batch in _incomplete)
                {
                    pending[i++] = batch.Completion;
                }
            }

            DrainAll();
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _flushing);
        }
    }

    /// <summary>Refuses further appends; batches still queued are sent (without lingering).</summary>
    public void Close()
    {
        _closed = true;
        DrainAll();
    }

    private void DrainAll()
    {
        foreach (var queue in _queues.Values)
        {
            List<ProduceRequest>? requests;
            lock (queue.Lock)
            {
                requests = Drain(queue, null);
            }

            Send(requests);
        }
    }

    /// <summary>For tests: batches of the partition waiting to be sent, and its requests in flight.</summary>
    internal (int Queued, int InFlight) Inspect(TopicPartition partition)
    {
        if (!_queues.TryGetValue(partition, out var queue))
        {
            return (0, 0);
        }

        lock (queue.Lock)
        {
            return (queue.Batches.Count, queue.InFlight);
        }
    }

    // A null array converts implicitly to an empty, not a null, ReadOnlyMemory: keep null keys and values null.
    private static ReadOnlyMemory<byte>? Nullable(byte[]? bytes) => bytes is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(bytes);

    private double NextJitter()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }
}
