using Orleans;

namespace Orlog.Partitions;

/// <summary>What a topic tells its partitions (same key and activation as <see cref="IPartitionGrain"/>); not for clients.</summary>
[Alias("orlog.partition-control")]
public interface IPartitionControlGrain : IGrainWithStringKey
{
    /// <summary>The topic's configs changed: reopen the log with them.</summary>
    [Alias("refresh")]
    Task RefreshAsync(Topics.TopicDescription topic);

    /// <summary>The topic is being deleted: close the log, delete its data, deactivate.</summary>
    [Alias("delete-data")]
    Task DeleteDataAsync();
}
