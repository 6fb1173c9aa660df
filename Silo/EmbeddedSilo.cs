using Orleans.Dashboard;
using Orlog.Hosting;

namespace Orlog.Silo;

/// <summary>The embedded default: one silo, localhost clustering, data on local disk, the dashboard.</summary>
public static class EmbeddedSilo
{
    public static ISiloBuilder AddOrlogEmbedded(this ISiloBuilder silo, OrlogSiloOptions options)
    {
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: OrlogCluster.DefaultServiceId, clusterId: OrlogCluster.DefaultClusterId);
        silo.AddOrlogOnLocalDisk(options.DataDir, logs => logs.MaxOpenSegmentFiles = options.MaxOpenSegmentFiles);
        silo.AddDashboard();
        return silo;
    }
}
