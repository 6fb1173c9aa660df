using Orleans.Dashboard;
using Orlog.Hosting;
using Orlog.Storage;
using Orlog.Storage.AzureBlob;
using Orlog.Tiering;

namespace Orlog.Silo;

/// <summary>The embedded default: one silo, localhost clustering, logs on local disk, metadata and the cold tier local or in Azure Blob, the dashboard.</summary>
public static class EmbeddedSilo
{
    public static ISiloBuilder AddOrlogEmbedded(this ISiloBuilder silo, OrlogSiloOptions options, MetadataSettings metadata, TieringSettings tiering)
    {
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: OrlogCluster.DefaultServiceId, clusterId: OrlogCluster.DefaultClusterId);
        silo.AddOrlogBroker(logs =>
        {
            logs.DataDirectory = OrlogSiloBuilderExtensions.LogsDirectory(options.DataDir);
            logs.MaxOpenSegmentFiles = options.MaxOpenSegmentFiles;
        });
        silo.AddOrlogTiering(_ => tiering.CreateStore(options.DataDir), tiering.Configure);
        if (metadata.Provider == MetadataProvider.AzureBlob)
        {
            silo.AddAzureBlobGrainStorage(OrlogStorage.Metadata, blob =>
            {
                blob.ConnectionString = metadata.ConnectionString;
                blob.ServiceUri = metadata.ServiceUri;
                blob.ContainerName = metadata.ContainerName;
            });
        }
        else
        {
            silo.AddFileGrainStorage(OrlogStorage.Metadata, files => files.RootDirectory = OrlogSiloBuilderExtensions.MetadataDirectory(options.DataDir));
        }

        silo.AddDashboard();
        return silo;
    }
}
