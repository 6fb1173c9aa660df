using Orleans;
using Orleans.Concurrency;

namespace Orlog.Partitions;

/// <summary>What a topic and the controller tell a partition's leader (same key and activation as <see cref="IPartitionGrain"/>); not for clients.</summary>
[Alias("orlog.partition-control")]
public interface IPartitionControlGrain : IGrainWithStringKey
{
    /// <summary>The topic's configs changed: reopen the log with them.</summary>
    [Alias("refresh")]
    Task RefreshAsync(Topics.TopicDescription topic);

    /// <summary>The topic is being deleted: close the log, delete its data (and its followers'), deactivate.</summary>
    [Alias("delete-data")]
    Task DeleteDataAsync();

    /// <summary>
    /// The controller changed the partition's leader or ISR: the named leader starts (or goes on) leading
    /// with it; any other broker's grain stops leading and moves to the leader's silo.
    /// </summary>
    [OneWay]
    [Alias("leadership-changed")]
    Task LeadershipChangedAsync(Cluster.PartitionLeadership leadership);
}
