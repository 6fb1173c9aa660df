using Orleans.Dashboard;
using Orlog.Hosting;
using Orlog.Storage;

namespace Orlog.Silo;

/// <summary>The embedded default: one silo, localhost clustering, data on local disk, the dashboard.</summary>
public static class EmbeddedSilo
{
    public static ISiloBuilder AddOrlogEmbedded(this ISiloBuilder silo, OrlogSiloOptions options)
    {
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: OrlogCluster.DefaultServiceId, clusterId: OrlogCluster.DefaultClusterId);
        silo.AddOrlogBroker(logs =>
        {
            logs.DataDirectory = options.LogsDirectory;
            logs.MaxOpenSegmentFiles = options.MaxOpenSegmentFiles;
        });
        silo.AddFileGrainStorage(OrlogStorage.Metadata, storage => storage.RootDirectory = options.MetadataDirectory);
        silo.AddDashboard();
        return silo;
    }
}
