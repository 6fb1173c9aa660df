namespace Orlog.Client;

/// <summary>A topic to create (Confluent.Kafka's <c>TopicSpecification</c>); configs use Kafka's names (<c>retention.ms</c>, ...).</summary>
public sealed class TopicSpecification
{
    public required string Name { get; init; }

    public int NumPartitions { get; init; } = 1;

    public short ReplicationFactor { get; init; } = 1;

    public IDictionary<string, string> Configs { get; init; } = new Dictionary<string, string>();
}
