using Orleans;

namespace Orlog.Topics;

/// <summary>What the topic directory keeps in grain storage: the names of all topics.</summary>
[GenerateSerializer]
[Alias("orlog.topic-directory-state")]
public sealed class TopicDirectoryState
{
    [Id(0)]
    public SortedSet<string> Topics { get; set; } = new(StringComparer.Ordinal);
}
