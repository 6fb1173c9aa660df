using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Orlog.Cluster;

/// <summary>The gateways of a cluster, for an Orleans client: the Active silos in the Azure membership table.</summary>
/// <remarks>
/// Reads the rows a silo writes (see Azure membership table for the layout) and never
/// writes. A silo without a gateway has proxy port 0 and is left out.
/// </remarks>
public sealed class AzureTableGatewayListProvider : IGatewayListProvider
{
    private readonly TableClient _table;
    private readonly string _clusterId;

    public AzureTableGatewayListProvider(IOptions<AzureTableClusteringOptions> options, IOptions<ClusterOptions> clusterOptions, IOptions<GatewayOptions> gatewayOptions)
        : this(options.Value.CreateTableClient(), clusterOptions.Value.ClusterId, gatewayOptions.Value.GatewayListRefreshPeriod)
    {
    }

    public AzureTableGatewayListProvider(TableClient table, string clusterId, TimeSpan maxStaleness)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        _table = table;
        _clusterId = clusterId;
        MaxStaleness = maxStaleness;
    }

    /// <summary>How often the client asks again: <see cref="GatewayOptions.GatewayListRefreshPeriod"/>.</summary>
    public TimeSpan MaxStaleness { get; }

    public bool IsUpdatable => true;

    /// <summary>Nothing to prepare: the silos create the table; a missing one surfaces on the first read.</summary>
    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        var active = nameof(SiloStatus.Active);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_clusterId} and RowKey ne {MembershipRows.VersionRowKey} and Status eq {active} and ProxyPort gt {0}");
        var gateways = new List<Uri>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter).ConfigureAwait(false))
        {
            var entry = MembershipRows.ToEntry(row);
            gateways.Add(SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, entry.SiloAddress.Generation).ToGatewayUri());
        }

        return gateways;
    }
}
