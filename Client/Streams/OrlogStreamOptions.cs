using Orlog.Client;
using Orlog.Errors;
using Orlog.Topics;

namespace Orlog.Streams;

/// <summary>Settings of an Orlog stream provider (<c>AddOrlogStreams(name, options => ...)</c>); docs/STREAMS.md.</summary>
public sealed class OrlogStreamOptions
{
    /// <summary>
    /// The topics behind the provider. A stream's namespace names its topic, and the stream's key is the
    /// record key, so a stream stays in one partition, in order. Every partition is a queue of the provider.
    /// </summary>
    public IList<string> Topics { get; } = [];

    /// <summary>Partitions of a topic in <see cref="Topics"/> that does not exist yet when the silo starts (it is created).</summary>
    public int PartitionsForNewTopics { get; set; } = 8;

    /// <summary>Replication factor of topics the provider creates.</summary>
    public short ReplicationFactorForNewTopics { get; set; } = 1;

    /// <summary>Topic configs (Kafka names, such as <c>retention.ms</c> or <c>remote.storage.enable</c>) of topics the provider creates.</summary>
    public IDictionary<string, string> ConfigsForNewTopics { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Turns events into record values and back; <see cref="OrlogStreamSerializers.Json"/> unless set.</summary>
    public IOrlogStreamSerializer Serializer { get; set; } = OrlogStreamSerializers.Json;

    /// <summary>How often a pulling agent commits how far its partition has been delivered (to the consumer group named after the provider).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where a partition that has no checkpoint yet starts: its first record (true, the default) or its end.</summary>
    public bool StartFromEarliest { get; set; } = true;

    /// <summary>How long a pulling agent's fetch waits at the end of its partition for new records (a long poll).</summary>
    public TimeSpan FetchMaxWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The most a pulling agent fetches at once.</summary>
    public int FetchMaxBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Batches of events a partition's cache holds for subscribers that have not had them yet; when it is
    /// full the agent reads no more from the partition until the slowest subscriber catches up.
    /// </summary>
    public int CacheSize { get; set; } = 1_024;

    /// <summary>The most events of one stream delivered to a subscriber in one call.</summary>
    public int MaxEventsPerDelivery { get; set; } = 256;

    /// <summary>How publishing produces (acks, linger, compression); Kafka's defaults (acks=all, idempotent) unless set.</summary>
    public ProducerConfig Producer { get; set; } = new() { LingerMs = 1 };

    /// <summary>Connect to an Orlog cluster other than the one this silo or client belongs to; null (the default) uses its own.</summary>
    public ClientConfig? Cluster { get; set; }

    /// <summary>Checks the settings; the provider does not start with bad ones.</summary>
    /// <exception cref="OrlogException">INVALID_CONFIG, or INVALID_TOPIC for a bad topic name.</exception>
    public void Validate()
    {
        Require(Topics.Count > 0, "An Orlog stream provider needs at least one topic (OrlogStreamOptions.Topics).");
        foreach (var topic in Topics)
        {
            TopicName.Validate(topic);
        }

        Require(Topics.Distinct(StringComparer.Ordinal).Count() == Topics.Count, "OrlogStreamOptions.Topics names a topic twice.");
        Require(PartitionsForNewTopics > 0, $"PartitionsForNewTopics must be positive; it is {PartitionsForNewTopics}.");
        Require(ReplicationFactorForNewTopics > 0, $"ReplicationFactorForNewTopics must be positive; it is {ReplicationFactorForNewTopics}.");
        Require(Serializer is not null, "OrlogStreamOptions.Serializer is not set.");
        Require(CheckpointInterval > TimeSpan.Zero, $"CheckpointInterval must be positive; it is {CheckpointInterval}.");
        Require(FetchMaxWait >= TimeSpan.Zero, $"FetchMaxWait must not be negative; it is {FetchMaxWait}.");
        Require(FetchMaxBytes > 0, $"FetchMaxBytes must be positive; it is {FetchMaxBytes}.");
        Require(CacheSize > 0, $"CacheSize must be positive; it is {CacheSize}.");
        Require(MaxEventsPerDelivery > 0, $"MaxEventsPerDelivery must be positive; it is {MaxEventsPerDelivery}.");
        Require(Producer is not null, "OrlogStreamOptions.Producer is not set.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new OrlogException(ErrorCode.InvalidConfig, message);
        }
    }
}
