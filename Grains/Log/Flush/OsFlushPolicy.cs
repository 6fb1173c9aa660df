namespace Orlog.Log.Flush;

/// <summary>
/// <c>flush.policy=os</c>: no explicit fsync (Kafka's default); data counts as durable once the
/// OS has it, and replication carries durability across machines. Rolled segments are still
/// fsynced in the background so that recovery after a crash scans little.
/// </summary>
public sealed class OsFlushPolicy(IFlushable log) : IFlushPolicy
{
    public void OnAppended() => log.MarkDurableWithoutFlush();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
