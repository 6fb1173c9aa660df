using Orleans;

namespace Orlog.Groups;

/// <summary>What the group directory keeps in grain storage: the ids of all groups.</summary>
[GenerateSerializer]
[Alias("orlog.group-directory-state")]
public sealed class ConsumerGroupDirectoryState
{
    [Id(0)]
    public SortedSet<string> Groups { get; set; } = new(StringComparer.Ordinal);
}
