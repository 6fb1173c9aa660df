using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orlog.Cluster;
using Orlog.Hosting;
using Orlog.Storage;
using Orlog.Storage.AzureBlob;
using Orlog.Tiering;

namespace Orlog.Silo;

/// <summary>
/// The silo host's broker: the embedded default (one silo, localhost clustering, everything in the
/// data directory) or a member of a real cluster (Azure Table membership, metadata and the cold tier
/// in Azure Blob), with the dashboard.
/// </summary>
public static class BrokerSilo
{
    public static ISiloBuilder AddOrlogBrokerSilo(this ISiloBuilder silo, OrlogSiloOptions options, ClusteringSettings clustering, MetadataSettings metadata, TieringSettings tiering)
    {
        UseClustering(silo, options, clustering);
        silo.AddOrlogBroker(BrokerMetaFile.LoadOrCreate(options.DataDir, options.BrokerId, options.Zone), logs =>
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

    private static void UseClustering(ISiloBuilder silo, OrlogSiloOptions options, ClusteringSettings clustering)
    {
        if (clustering.Provider == ClusteringProvider.Localhost)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: clustering.ServiceId, clusterId: clustering.ClusterId);
            return;
        }

        silo.UseAzureTableClustering(clustering.Table().CopyTo);
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = clustering.ClusterId;
            cluster.ServiceId = clustering.ServiceId;
        });
        if (clustering.AdvertisedIP is { } address)
        {
            silo.ConfigureEndpoints(IPAddress.Parse(address), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
        }

        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            // Orleans adapts the probe timeout to observed round trips, up to MaxProbeTimeout (4x by
            // default); capping it keeps the time to declare a dead silo near MissedProbesLimit x ProbeTimeout.
            membership.ProbeTimeout = TimeSpan.FromMilliseconds(clustering.ProbeTimeoutMs);
            membership.MaxProbeTimeout = membership.ProbeTimeout;
            membership.NumMissedProbesLimit = clustering.MissedProbesLimit;
        });
    }
}
