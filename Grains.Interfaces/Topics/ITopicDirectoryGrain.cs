using Orleans;

namespace Orlog.Topics;

/// <summary>The cluster-wide list of topic names (one grain, key <see cref="Key"/>).</summary>
[Alias("orlog.topic-directory")]
public interface ITopicDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    [Alias("list")]
    Task<IReadOnlyList<string>> ListAsync();

    [Alias("add")]
    Task AddAsync(string topic);

    [Alias("remove")]
    Task RemoveAsync(string topic);
}
