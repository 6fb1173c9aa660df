namespace Orlog.Client;

/// <summary>Raise a topic's partition count to <see cref="IncreaseTo"/> (a count never shrinks).</summary>
public sealed record PartitionsSpecification(string Topic, int IncreaseTo);
