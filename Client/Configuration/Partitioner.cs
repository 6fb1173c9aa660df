namespace Orlog.Client;

/// <summary>How the producer picks the partition of a record sent without one.</summary>
public enum Partitioner
{
    /// <summary>
    /// Kafka's default: a keyed record goes to <c>toPositive(murmur2(key)) % partitions</c>, so keys
    /// land on the same partitions as with Kafka's Java client; records with a null key stick to one
    /// partition until its batch is sent, then to another picked at random.
    /// </summary>
    Murmur2Sticky = 0,

    /// <summary>Kafka's <c>partitioner.ignore.keys=true</c>: every record is placed by the sticky rule, keys or not.</summary>
    UniformSticky = 1,
}
