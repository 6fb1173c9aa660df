using Orleans;
using Orleans.Concurrency;

namespace Orlog.Cluster;

[StatelessWorker]
internal sealed class ClusterViewGrain(SiloDeaths deaths) : Grain, IClusterViewGrain
{
    public Task<LostSilo[]> RecentlyLostAsync() => Task.FromResult(deaths.Recent());
}
