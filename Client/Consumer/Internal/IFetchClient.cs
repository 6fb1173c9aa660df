using Orlog.Partitions;

namespace Orlog.Client;

/// <summary>The calls a consumer makes on a partition's leader; a seam for tests without a cluster.</summary>
internal interface IFetchClient
{
    /// <exception cref="Errors.OrlogException">As <see cref="IPartitionGrain.FetchAsync"/>, plus REQUEST_TIMED_OUT / LEADER_NOT_AVAILABLE for transport failures.</exception>
    Task<FetchResult> FetchAsync(TopicPartition partition, long offset, int maxBytes, int minBytes, TimeSpan maxWait);

    /// <exception cref="Errors.OrlogException">As <see cref="IPartitionGrain.ListOffsetsAsync"/>.</exception>
    Task<ListOffsetsResult> ListOffsetsAsync(TopicPartition partition, OffsetSpec spec);
}
