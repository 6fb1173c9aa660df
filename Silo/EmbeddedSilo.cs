using Orleans.Dashboard;
using Orlog.Hosting;
using Orlog.Storage.AzureBlob;

namespace Orlog.Silo;

/// <summary>The embedded default: one silo, localhost clustering, data on local disk (metadata optionally in Azure Blob), the dashboard.</summary>
public static class EmbeddedSilo
{
    public static ISiloBuilder AddOrlogEmbedded(this ISiloBuilder silo, OrlogSiloOptions options, MetadataSettings metadata)
    {
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: OrlogCluster.DefaultServiceId, clusterId: OrlogCluster.DefaultClusterId);
        if (metadata.Provider == MetadataProvider.AzureBlob)
        {
            silo.AddOrlogBroker(logs =>
            {
                logs.DataDirectory = OrlogSiloBuilderExtensions.LogsDirectory(options.DataDir);
                logs.MaxOpenSegmentFiles = options.MaxOpenSegmentFiles;
            });
            silo.AddAzureBlobGrainStorage(OrlogStorage.Metadata, blob =>
            {
                blob.ConnectionString = metadata.ConnectionString;
                blob.ServiceUri = metadata.ServiceUri;
                blob.ContainerName = metadata.ContainerName;
            });
        }
        else
        {
            silo.AddOrlogOnLocalDisk(options.DataDir, logs => logs.MaxOpenSegmentFiles = options.MaxOpenSegmentFiles);
        }

        silo.AddDashboard();
        return silo;
    }
}
