using Orlog.Errors;

namespace Orlog.Client;

/// <summary>
/// The idempotent producer: one producer id from the cluster, and per partition an epoch and consecutive
/// sequence numbers stamped into the batches, kept when a batch is sent again, so the broker writes it once.
/// </summary>
internal sealed partial class RecordAccumulator
{
    private long _producerId = Records.RecordBatchLayout.NoProducerId;
    private int _producerIdRequested;

    /// <summary>True while an idempotent producer has no producer id yet: batches wait, and the id is asked for (once).</summary>
    private bool AwaitsProducerId()
    {
        if (!_config.Idempotent || Volatile.Read(ref _producerId) >= 0)
        {
            return false;
        }

        if (Interlocked.Exchange(ref _producerIdRequested, 1) == 0)
        {
            _ = InitProducerIdAsync();
        }

        return true;
    }

    /// <summary>Under the queue's lock: numbers a batch the first time it is sent.</summary>
    private void AssignSequence(PartitionQueue queue, ProducerBatch batch)
    {
        if (!_config.Idempotent || batch.BaseSequence >= 0)
        {
            return;
        }

        batch.ProducerId = Volatile.Read(ref _producerId);
        batch.ProducerEpoch = queue.ProducerEpoch;
        batch.BaseSequence = queue.NextSequence;
        queue.NextSequence = (int)Math.Min(int.MaxValue, (long)queue.NextSequence + batch.Count);
    }

    /// <summary>
    /// Under the queue's lock: a numbered batch failed for good, leaving a gap the broker would refuse. The
    /// partition moves to the next epoch, where numbers start again, and the batches still to be sent
    /// (<paramref name="retried"/> among them) are numbered afresh when they go.
    /// </summary>
    private static void RestartSequences(PartitionQueue queue, List<ProducerBatch>? retried)
    {
        queue.ProducerEpoch++;
        queue.NextSequence = 0;
        foreach (var batch in retried ?? [])
        {
            batch.BaseSequence = Records.RecordBatchLayout.NoSequence;
        }
    }

    /// <summary>Asks the cluster for a producer id until it answers (with backoff), then sends what waited for it.</summary>
    private async Task InitProducerIdAsync()
    {
        for (var attempt = 1; !_closed; attempt++)
        {
            try
            {
                Volatile.Write(ref _producerId, await _sender.InitProducerIdAsync().ConfigureAwait(false));
                DrainAll();
                return;
            }
            catch (OrlogException error) when (RetryPolicy.IsRetriable(error.Code))
            {
                // Jitter 0.5: the backoff itself, without the ±20% the batch retries add.
                await Task.Delay(RetryPolicy.Backoff(attempt, Math.Max(1, _config.RetryBackoffMs), _config.RetryBackoffMaxMs, 0.5), _time).ConfigureAwait(false);
            }
        }
    }
}
