using Orleans;

namespace Orlog.Groups;

/// <summary>What a consumer tells the group when it joins or changes its subscription.</summary>
/// <param name="MemberId">Empty to join as a new member; the member's id to change its subscription.</param>
/// <param name="GroupInstanceId"><c>group.instance.id</c> of a static member (KIP-345), else null.</param>
/// <param name="Assignor">The assignor's Kafka name (<c>partition.assignment.strategy</c>).</param>
/// <param name="SessionTimeoutMs"><c>session.timeout.ms</c>: removed when no heartbeat arrives for this long.</param>
/// <param name="RebalanceTimeoutMs"><c>max.poll.interval.ms</c>: removed when it holds on to revoked partitions for this long.</param>
[GenerateSerializer]
[Immutable]
[Alias("orlog.join-group-request")]
public sealed record JoinGroupRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] IReadOnlyList<string> Topics,
    [property: Id(4)] string Assignor,
    [property: Id(5)] int SessionTimeoutMs,
    [property: Id(6)] int RebalanceTimeoutMs);
