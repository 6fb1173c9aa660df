using Orleans;

namespace Orlog.Groups;

/// <summary>The cluster-wide list of consumer group ids (one grain, key <see cref="Key"/>).</summary>
[Alias("orlog.group-directory")]
public interface IConsumerGroupDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    [Alias("list")]
    Task<IReadOnlyList<string>> ListAsync();

    [Alias("add")]
    Task AddAsync(string groupId);

    [Alias("remove")]
    Task RemoveAsync(string groupId);
}
