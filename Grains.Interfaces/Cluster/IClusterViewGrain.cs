using Orleans;

namespace Orlog.Cluster;

/// <summary>
/// What the silo the caller reaches knows of silo deaths (a stateless worker: a client's call is served by
/// its gateway, so no other silo has to be up). Clients use it to notice that a silo their outstanding call
/// went to, or through, has died since they sent it.
/// </summary>
[Alias("orlog.cluster-view")]
public interface IClusterViewGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>The silos declared dead in the last two minutes.</summary>
    [Alias("recently-lost")]
    Task<LostSilo[]> RecentlyLostAsync();
}
