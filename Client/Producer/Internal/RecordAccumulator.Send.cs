using Orlog.Errors;

namespace Orlog.Client;

internal sealed partial class RecordAccumulator
{
    /// <summary>
    /// Sends the requests, outside any lock. A request whose call completes at once is handled in
    /// this loop rather than by recursion, so a sender that answers synchronously cannot deepen the stack.
    /// </summary>
    private void Send(List<ProduceRequest>? requests)
    {
        if (requests is null)
        {
            return;
        }

        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            BatchSent?.Invoke(request.Queue.TopicPartition);
            Task<Partitions.ProduceResult> call;
            try
            {
                request.Sent = BuildRequest(request);
                foreach (var batch in request.Batches)
                {
                    batch.Attempts++;
                }

                call = _sender.ProduceAsync(request.Queue.TopicPartition, request.Sent, _config.Acks);
            }
            catch (Exception e)
            {
                call = Task.FromException<Partitions.ProduceResult>(e);
            }

            if (call.IsCompleted)
            {
                var next = OnResponse(request, call);
                if (next is not null)
                {
                    requests.AddRange(next);
                }

                continue;
            }

            // Synchronously, so that a retry's backoff timer is armed by the time the call's task completes.
            _ = call.ContinueWith(
                static (task, state) =>
                {
                    var request = (ProduceRequest)state!;
                    var accumulator = request.Queue.Owner;
                    accumulator.Send(accumulator.OnResponse(request, task));
                },
                request,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Builds the request's batches back to back into a rented buffer.</summary>
    private static Partitions.ProduceBatches BuildRequest(ProduceRequest request)
    {
        var size = 0;
        foreach (var batch in request.Batches)
        {
            size += batch.SizeInBytes;
        }

        var writer = new RequestBufferWriter(size);
        foreach (var batch in request.Batches)
        {
            var builder = batch.Builder!;
            (builder.ProducerId, builder.ProducerEpoch, builder.BaseSequence) = (batch.ProducerId, batch.ProducerEpoch, batch.BaseSequence);
            builder.Build(writer);
        }

        return writer.ToBatches();
    }

    /// <returns>Requests that became sendable because this one freed a slot.</returns>
    private List<ProduceRequest>? OnResponse(ProduceRequest request, Task<Partitions.ProduceResult> call)
    {
        var queue = request.Queue;
        List<ProduceRequest>? next;
        if (call.IsCompletedSuccessfully)
        {
            // An answer means the request was sent whole, so its buffer can be reused. After a failure it is
            // left to the garbage collector: an abandoned call may still be waiting to be serialized.
            request.Sent?.Release();
            var result = call.Result;
            var offset = result.BaseOffset;
            for (var i = 0; i < request.Batches.Count; i++)
            {
                var batch = request.Batches[i];
                if (result.BatchOffsets is { } offsets)
                {
                    offset = offsets[i];
                }

                batch.Succeeded(offset, result.LogAppendTime);
                if (offset >= 0)
                {
                    offset += batch.Count;
                }
            }

            lock (queue.Lock)
            {
                queue.InFlight--;
                next = Drain(queue, null);
            }

            foreach (var batch in request.Batches)
            {
                Finish(batch);
            }

            return next;
        }

        var error = ToOrlogException(call.Exception?.InnerException, request);
        var now = _time.GetTimestamp();
        List<ProducerBatch>? retry = null;
        List<ProducerBatch>? failed = null;
        var backoff = TimeSpan.Zero;
        foreach (var batch in request.Batches)
        {
            var wait = RetryPolicy.Backoff(batch.Attempts, _config.RetryBackoffMs, _config.RetryBackoffMaxMs, NextJitter());
            if (CanRetry(batch, error, now, wait))
            {
                (retry ??= []).Add(batch);
                backoff = wait > backoff ? wait : backoff;
            }
            else
            {
                (failed ??= []).Add(batch);
            }
        }

        var inBackoff = retry is not null && backoff > TimeSpan.Zero;
        lock (queue.Lock)
        {
            queue.InFlight--;
            if (failed is not null && failed[0].BaseSequence >= 0)
            {
                RestartSequences(queue, retry);
            }

            if (retry is not null)
            {
                // Back at the head, in their order, so that nothing queued behind them overtakes them.
                for (var i = retry.Count - 1; i >= 0; i--)
                {
                    retry[i].InBackoff = inBackoff;
                    queue.Batches.AddFirst(retry[i]);
                }
            }

            next = Drain(queue, null);
        }

        if (inBackoff)
        {
            var state = new RetryState(queue, retry!);
            state.Timer = _time.CreateTimer(static s => OnBackoffElapsed((RetryState)s!), state, backoff, Timeout.InfiniteTimeSpan);
        }

        if (failed is not null)
        {
            foreach (var batch in failed)
            {
                batch.Failed(error);
                Finish(batch);
            }

            BatchFailed?.Invoke(queue.TopicPartition, error);
        }

        return next;
    }

    private bool CanRetry(ProducerBatch batch, OrlogException error, long now, TimeSpan backoff) =>
        RetryPolicy.IsRetriable(error.Code)
        && batch.Attempts <= _config.Retries
        && _time.GetElapsedTime(batch.CreatedAt, now) + backoff < TimeSpan.FromMilliseconds(_config.DeliveryTimeoutMs);

    private static void OnBackoffElapsed(RetryState state)
    {
        var queue = state.Queue;
        List<ProduceRequest>? requests;
        lock (queue.Lock)
        {
            foreach (var batch in state.Batches)
            {
                batch.InBackoff = false;
            }

            requests = queue.Owner.Drain(queue, null);
        }

        state.Timer?.Dispose();
        queue.Owner.Send(requests);
    }

    private static OrlogException ToOrlogException(Exception? error, ProduceRequest request) => error switch
    {
        null => new OrlogException(ErrorCode.UnknownServerError, $"Produce to {request.Queue.TopicPartition} failed without an error."),
        OrlogException orlog => orlog,
        TimeoutException => new OrlogException(ErrorCode.RequestTimedOut, $"Produce to {request.Queue.TopicPartition} timed out: {error.Message}", error),
        _ => new OrlogException(ErrorCode.UnknownServerError, $"Produce to {request.Queue.TopicPartition} failed: {error.Message}", error),
    };

    /// <summary>Gives back the batch's memory and builder, then reports its records on the thread pool.</summary>
    private void Finish(ProducerBatch batch)
    {
        _memory.Release(batch.ReservedBytes);
        var builder = batch.DetachBuilder();
        if (builder is not null && _builders.Count < MaxPooledBuilders)
        {
            builder.Reset();
            _builders.Add(builder);
        }

        lock (_incompleteLock)
        {
            _incomplete.Remove(batch);
        }

        // Handlers are user code: never run them on the thread that completed the grain call.
        ThreadPool.UnsafeQueueUserWorkItem(static b => b.ReportDeliveries(), batch, preferLocal: false);
    }

    private sealed class RetryState(PartitionQueue queue, List<ProducerBatch> batches)
    {
        public PartitionQueue Queue => queue;

        public List<ProducerBatch> Batches => batches;

        public ITimer? Timer { get; set; }
    }
}
