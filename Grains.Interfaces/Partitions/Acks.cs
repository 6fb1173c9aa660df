namespace Orlog.Partitions;

/// <summary>When a produce is acknowledged, numbered as Kafka's <c>acks</c>.</summary>
public enum Acks : short
{
    /// <summary>The producer does not wait (fire and forget).</summary>
    None = 0,

    /// <summary>After the leader appended the batches.</summary>
    Leader = 1,

    /// <summary>After every in-sync replica has them; on one node, once durable under the topic's flush policy.</summary>
    All = -1,
}
