using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.TestingHost;
using Orlog.Azure;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Xunit;

namespace Orlog.Cluster;

/// <summary>The Orleans membership table contract against Azure Table Storage (Azurite), plus the gateway list and options.</summary>
public sealed class AzureTableMembershipTableTests
{
    private const string TableNameKey = "OrlogTestMembershipTable";
    private static int s_nextPort = 20000;

    private readonly TableClient _tableClient = new TableServiceClient(Azurite.ConnectionString).GetTableClient($"m{Guid.NewGuid():N}");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_CreatesTheTableAndVersionRow_AndTwiceIsFine()
    {
        var table = await NewTableAsync("c1");
        await table.InitializeMembershipTable(true);

        var data = await table.ReadAll();

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.False(string.IsNullOrEmpty(data.Version.VersionEtag));
        var versionRow = await _tableClient.GetEntityAsync<TableEntity>("c1", MembershipRows.VersionRowKey, cancellationToken: Token);
        Assert.Equal(data.Version.VersionEtag, versionRow.Value.ETag.ToString());
    }

    [Fact]
    public async Task Initialize_WithoutVersionInit_LeavesReadsFailingUntilASiloInitializes()
    {
        var table = await NewTableAsync("c1", tryInitTableVersion: false);

        var error = await Assert.ThrowsAsync<OrlogException>(table.ReadAll);
        Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
    }

    [Fact]
    public async Task InsertRow_WithTheCurrentVersion_AddsTheRowAndBumpsTheVersion()
    {
        var table = await NewTableAsync("c1");
        var before = await table.ReadAll();
        var entry = NewEntry();

        Assert.True(await table.InsertRow(entry, before.Version.Next()));

        var after = await table.ReadAll();
        Assert.Equal(1, after.Version.Version);
        Assert.NotEqual(before.Version.VersionEtag, after.Version.VersionEtag);
        var (read, etag) = Assert.Single(after.Members);
        Assert.Equal(entry.ToFullString(), read.ToFullString());
        Assert.False(string.IsNullOrEmpty(etag));
    }

    [Fact]
    public async Task InsertRow_OfAnExistingSilo_ReturnsFalse()
    {
        var table = await NewTableAsync("c1");
        var entry = NewEntry();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var current = await table.ReadAll();

        Assert.False(await table.InsertRow(entry, current.Version.Next()));

        var after = await table.ReadAll();
        Assert.Equal(current.Version, after.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task InsertRow_WithAStaleVersion_ReturnsFalse_AndChangesNothing()
    {
        var table = await NewTableAsync("c1");
        var stale = (await table.ReadAll()).Version.Next();
        var first = NewEntry();
        Assert.True(await table.InsertRow(first, stale));
        var current = await table.ReadAll();

        Assert.False(await table.InsertRow(NewEntry(), stale));

        var after = await table.ReadAll();
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(first.SiloAddress, Assert.Single(after.Members).Item1.SiloAddress);
    }

    [Fact]
    public async Task UpdateRow_WithTheCurrentRowETagAndVersion_ReplacesTheRowAndBumpsTheVersion()
    {
        var table = await NewTableAsync("c1");
        var entry = NewEntry();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var current = await table.ReadAll();
        var etag = Assert.Single(current.Members).Item2;

        entry.Status = SiloStatus.Active;
        entry.AddSuspector(SiloAddress.New(IPAddress.Loopback, 1, 2), At(5));
        Assert.True(await table.UpdateRow(entry, etag, current.Version.Next()));

        var after = await table.ReadAll();
        Assert.Equal(2, after.Version.Version);
        var (read, newEtag) = Assert.Single(after.Members);
        Assert.Equal(SiloStatus.Active, read.Status);
        Assert.Equal(entry.ToFullString(), read.ToFullString());
        Assert.NotEqual(etag, newEtag);
    }

    [Fact]
    public async Task UpdateRow_WithAStaleRowETag_ReturnsFalse()
    {
        var table = await NewTableAsync("c1");
        var entry = NewEntry();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var first = await table.ReadAll();
        var staleEtag = Assert.Single(first.Members).Item2;
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(entry, staleEtag, first.Version.Next()));
        var current = await table.ReadAll();

        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRow(entry, staleEtag, current.Version.Next()));

        var after = await table.ReadAll();
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(after.Members).Item1.Status);
    }

    [Fact]
    public async Task UpdateRow_WithAStaleVersion_ReturnsFalse_AndChangesNothing()
    {
        var table = await NewTableAsync("c1");
        var a = NewEntry();
        var b = NewEntry();
        Assert.True(await table.InsertRow(a, (await table.ReadAll()).Version.Next()));
        Assert.True(await table.InsertRow(b, (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        a.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(a, read.TryGet(a.SiloAddress)!.Item2, read.Version.Next()));

        // b's row ETag is still current; only the table version moved on.
        b.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRow(b, read.TryGet(b.SiloAddress)!.Item2, read.Version.Next()));

        var after = await table.ReadAll();
        Assert.Equal(3, after.Version.Version);
        Assert.Equal(SiloStatus.Joining, after.TryGet(b.SiloAddress)!.Item1.Status);
    }

    [Fact]
    public async Task UpdateRow_OfAMissingSilo_ReturnsFalse()
    {
        var table = await NewTableAsync("c1");
        var a = NewEntry();
        Assert.True(await table.InsertRow(a, (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();

        Assert.False(await table.UpdateRow(NewEntry(), read.TryGet(a.SiloAddress)!.Item2, read.Version.Next()));

        Assert.Equal(read.Version, (await table.ReadAll()).Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesOnlyTheAliveTime_AndTheETagReadAfterItWorks()
    {
        var table = await NewTableAsync("c1");
        var entry = NewEntry();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var before = await table.ReadAll();

        var alive = NewEntry(entry.SiloAddress);
        alive.Status = SiloStatus.Dead;
        alive.SiloName = "not written";
        alive.IAmAliveTime = At(90);
        await table.UpdateIAmAlive(alive);

        var after = await table.ReadAll();
        Assert.Equal(before.Version, after.Version);
        var (read, etag) = Assert.Single(after.Members);
        Assert.Equal(At(90), read.IAmAliveTime);
        Assert.Equal(SiloStatus.Joining, read.Status);
        Assert.Equal(entry.SiloName, read.SiloName);
        Assert.Equal(entry.StartTime, read.StartTime);

        // Azure gives the merged row a new ETag: the one read before the merge no longer works, the one after does.
        entry.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRow(entry, before.Members[0].Item2, after.Version.Next()));
        Assert.True(await table.UpdateRow(entry, etag, after.Version.Next()));
    }

    [Fact]
    public async Task ReadRow_ReturnsTheSiloAndTheVersion_WithETagsThatWorkForTheNextUpdate()
    {
        var table = await NewTableAsync("c1");
        var a = NewEntry();
        var b = NewEntry();
        Assert.True(await table.InsertRow(a, (await table.ReadAll()).Version.Next()));
        Assert.True(await table.InsertRow(b, (await table.ReadAll()).Version.Next()));

        var row = await table.ReadRow(a.SiloAddress);
        var missing = await table.ReadRow(NewEntry().SiloAddress);

        Assert.Equal(2, row.Version.Version);
        Assert.Equal((await table.ReadAll()).Version, row.Version);
        var (read, etag) = Assert.Single(row.Members);
        Assert.Equal(a.ToFullString(), read.ToFullString());
        Assert.Empty(missing.Members);
        Assert.Equal(row.Version, missing.Version);
        a.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(a, etag, row.Version.Next()));
    }

    [Fact]
    public async Task Rows_KeepEveryFieldOfTheEntry()
    {
        var table = await NewTableAsync("c1");
        var entry = NewEntry();
        entry.RoleName = "broker";
        entry.UpdateZone = 3;
        entry.FaultZone = 7;
        entry.ProxyPort = 30123;
        entry.AddSuspector(SiloAddress.New(IPAddress.Parse("10.0.0.1"), 11111, 42), At(1));
        entry.AddSuspector(SiloAddress.New(IPAddress.Parse("::1"), 11112, 43), At(2));
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));

        var read = Assert.Single((await table.ReadAll()).Members).Item1;

        Assert.Equal(entry.ToFullString(), read.ToFullString());
        Assert.Equal(entry.SuspectTimes, read.SuspectTimes);
        Assert.Equal(("broker", 3, 7, 30123), (read.RoleName, read.UpdateZone, read.FaultZone, read.ProxyPort));
        Assert.Equal((entry.StartTime, entry.IAmAliveTime), (read.StartTime, read.IAmAliveTime));
        Assert.Equal(DateTimeKind.Utc, read.IAmAliveTime.Kind);
    }

    [Fact]
    public async Task TwoWriters_FromTheSameRead_ExactlyOneWins()
    {
        var first = await NewTableAsync("c1");
        var second = await NewTableAsync("c1");
        var a = NewEntry();
        var b = NewEntry();
        var empty = await first.ReadAll();

        var inserts = await Task.WhenAll(first.InsertRow(a, empty.Version.Next()), second.InsertRow(b, empty.Version.Next()));
        Assert.Single(inserts, won => won);

        var read = await first.ReadAll();
        var (entry, etag) = Assert.Single(read.Members);
        var copy = NewEntry(entry.SiloAddress);
        entry.Status = SiloStatus.Active;
        copy.Status = SiloStatus.Dead;
        var updates = await Task.WhenAll(first.UpdateRow(entry, etag, read.Version.Next()), second.UpdateRow(copy, etag, read.Version.Next()));
        Assert.Single(updates, won => won);

        var after = await first.ReadAll();
        Assert.Equal(2, after.Version.Version);
        Assert.Equal(updates[0] ? SiloStatus.Active : SiloStatus.Dead, Assert.Single(after.Members).Item1.Status);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyOldRowsThatAreNotActive()
    {
        var table = await NewTableAsync("c1");
        var oldDead = await InsertAsync(table, SiloStatus.Dead, aliveMinutes: -60);
        var oldJoining = await InsertAsync(table, SiloStatus.Joining, aliveMinutes: -60);
        var oldActive = await InsertAsync(table, SiloStatus.Active, aliveMinutes: -60);
        var newDead = await InsertAsync(table, SiloStatus.Dead, aliveMinutes: 0);
        var before = await table.ReadAll();

        await table.CleanupDefunctSiloEntries(At(-30));

        var after = await table.ReadAll();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(
            new[] { oldActive, newDead }.Select(e => e.SiloAddress).Order(),
            after.Members.Select(m => m.Item1.SiloAddress).Order());
        Assert.Null(after.TryGet(oldDead.SiloAddress));
        Assert.Null(after.TryGet(oldJoining.SiloAddress));
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesThatClusterOnly()
    {
        var doomed = await NewTableAsync("doomed");
        var kept = await NewTableAsync("kept");
        await InsertAsync(doomed, SiloStatus.Active, 0);
        await InsertAsync(doomed, SiloStatus.Dead, 0);
        var survivor = await InsertAsync(kept, SiloStatus.Active, 0);
        var keptBefore = await kept.ReadAll();

        await kept.DeleteMembershipTableEntries("doomed");

        await Assert.ThrowsAsync<OrlogException>(doomed.ReadAll);
        var rows = new List<TableEntity>();
        await foreach (var row in _tableClient.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"doomed"}"), cancellationToken: Token))
        {
            rows.Add(row);
        }

        Assert.Empty(rows);
        var keptAfter = await kept.ReadAll();
        Assert.Equal(keptBefore.Version, keptAfter.Version);
        Assert.Equal(survivor.SiloAddress, Assert.Single(keptAfter.Members).Item1.SiloAddress);
    }

    [Fact]
    public async Task TwoClusters_InOneTable_DoNotSeeEachOther()
    {
        var one = await NewTableAsync("one");
        var two = await NewTableAsync("two");
        var a = await InsertAsync(one, SiloStatus.Active, 0);
        var b = await InsertAsync(two, SiloStatus.Active, 0);
        await InsertAsync(two, SiloStatus.Active, 0);

        var oneData = await one.ReadAll();
        var twoData = await two.ReadAll();

        Assert.Equal(a.SiloAddress, Assert.Single(oneData.Members).Item1.SiloAddress);
        Assert.Equal(1, oneData.Version.Version);
        Assert.Equal(2, twoData.Members.Count);
        Assert.Equal(2, twoData.Version.Version);
        Assert.Empty((await one.ReadRow(b.SiloAddress)).Members);
    }

    [Fact]
    public async Task GatewayListProvider_ListsTheGatewaysOfActiveSilosOfItsClusterOnly()
    {
        var table = await NewTableAsync("c1");
        var other = await NewTableAsync("c2");
        var active = await InsertAsync(table, SiloStatus.Active, 0);
        var activeWithoutGateway = NewEntry();
        activeWithoutGateway.Status = SiloStatus.Active;
        activeWithoutGateway.ProxyPort = 0;
        Assert.True(await table.InsertRow(activeWithoutGateway, (await table.ReadAll()).Version.Next()));
        await InsertAsync(table, SiloStatus.Joining, 0);
        await InsertAsync(table, SiloStatus.Dead, 0);
        await InsertAsync(table, SiloStatus.ShuttingDown, 0);
        await InsertAsync(other, SiloStatus.Active, 0);
        var provider = new AzureTableGatewayListProvider(_tableClient, "c1", TimeSpan.FromSeconds(30));
        await provider.InitializeGatewayListProvider();

        var gateways = await provider.GetGateways();

        var expected = SiloAddress.New(active.SiloAddress.Endpoint.Address, active.ProxyPort, active.SiloAddress.Generation).ToGatewayUri();
        Assert.Equal(expected, Assert.Single(gateways));
        Assert.NotEqual(active.SiloAddress.Endpoint.Port, active.ProxyPort);
        Assert.Equal(TimeSpan.FromSeconds(30), provider.MaxStaleness);
    }

    [Fact]
    public async Task Silos_AndAClient_UsingTheTable_FormACluster()
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[TableNameKey] = _tableClient.Name;
        builder.AddSiloBuilderConfigurator<TableClusteringSilo>();
        builder.AddClientBuilderConfigurator<TableClusteringClient>();
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync(Token);

            var data = await new AzureTableMembershipTable(_tableClient, cluster.Options.ClusterId, NullLogger.Instance).ReadAll();
            Assert.Equal(
                cluster.Silos.Select(s => s.SiloAddress).Order(),
                data.Members.Where(m => m.Item1.Status == SiloStatus.Active).Select(m => m.Item1.SiloAddress).Order());

            // The client found its gateway in the table; through it, the cluster reports both silos.
            var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken: Token);
            Assert.Equal(2, hosts.Count);
        }
        finally
        {
            await cluster.StopAllSilosAsync(Token);
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public void Options_NeedExactlyOneWayToConnect_AndAValidTableName()
    {
        Assert.Throws<ArgumentException>(() => new AzureTableClusteringOptions().Validate());
        Assert.Throws<ArgumentException>(() => new AzureTableClusteringOptions { ConnectionString = "x", ServiceUri = new Uri("https://a.table.core.windows.net") }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureTableClusteringOptions { ConnectionString = "x", TableName = "1abc" }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureTableClusteringOptions { ConnectionString = "x", TableName = "ab" }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureTableClusteringOptions { ConnectionString = "x", TableName = "with-dash" }.Validate());
        Assert.Throws<ArgumentException>(() => new AzureTableClusteringOptions { ConnectionString = "x", TableName = new string('a', 64) }.Validate());
        new AzureTableClusteringOptions { ConnectionString = "x", TableName = "a" + new string('1', 62) }.Validate();
        var defaults = new AzureTableClusteringOptions { ServiceUri = new Uri("https://a.table.core.windows.net") };
        defaults.Validate();
        Assert.Equal("OrlogMembership", defaults.TableName);
    }

    [Fact]
    public void ClusterIds_ThatCannotBePartitionKeys_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new AzureTableMembershipTable(_tableClient, "a/b", NullLogger.Instance));

    private async Task<AzureTableMembershipTable> NewTableAsync(string clusterId, bool tryInitTableVersion = true)
    {
        var table = new AzureTableMembershipTable(_tableClient, clusterId, NullLogger.Instance);
        await table.InitializeMembershipTable(tryInitTableVersion);
        return table;
    }

    private static async Task<MembershipEntry> InsertAsync(AzureTableMembershipTable table, SiloStatus status, int aliveMinutes)
    {
        var entry = NewEntry();
        entry.Status = status;
        entry.IAmAliveTime = At(aliveMinutes);
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        return entry;
    }

    private static readonly DateTime s_now = new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>Now (to the millisecond, as Azure stores it) plus some minutes.</summary>
    private static DateTime At(int minutes) => s_now.AddMinutes(minutes);

    private static MembershipEntry NewEntry(SiloAddress? address = null)
    {
        var port = Interlocked.Increment(ref s_nextPort);
        address ??= SiloAddress.New(IPAddress.Loopback, port, 1000 + port);
        return new MembershipEntry
        {
            SiloAddress = address,
            Status = SiloStatus.Joining,
            HostName = "host-" + port,
            SiloName = "silo-" + port,
            ProxyPort = port + 10000,
            StartTime = At(-1),
            IAmAliveTime = At(0),
        };
    }

    private sealed class TableClusteringSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.UseAzureTableClustering(options =>
            {
                options.ConnectionString = Azurite.ConnectionString;
                options.TableName = siloBuilder.Configuration[TableNameKey]!;
            });
    }

    private sealed class TableClusteringClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAzureTableClustering(options =>
            {
                options.ConnectionString = Azurite.ConnectionString;
                options.TableName = configuration[TableNameKey]!;
            });
    }
}
