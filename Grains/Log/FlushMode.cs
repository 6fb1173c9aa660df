namespace Orlog.Log;

/// <summary>When a partition log forces appended data to stable storage (the topic's <c>flush.policy</c>).</summary>
public enum FlushMode
{
    /// <summary>No explicit fsync: the OS writes back, replication carries durability (Kafka's default).</summary>
    Os,

    /// <summary>Group commit: one fsync for everything appended within <c>flush.ms</c>; appenders can await it.</summary>
    Interval,

    /// <summary>fsync before every append returns.</summary>
    EveryBatch,
}
