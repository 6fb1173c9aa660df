using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Cluster;

/// <summary>The Orleans membership table of one cluster, kept in an Azure table.</summary>
/// <remarks>
/// Layout: partition key = cluster id, so clusters sharing a table never see each other, and every
/// write of one cluster can go in one entity-group transaction. Rows of a partition:
/// <list type="bullet">
/// <item><c>VersionRow</c>: column <c>MembershipVersion</c> (int), the table version. Its ETag is the
/// compare-and-swap token Orleans hands back as <see cref="TableVersion.VersionEtag"/>.</item>
/// <item>one row per silo, row key = <see cref="SiloAddress.ToParsableString"/> (<c>ip:port@generation</c>),
/// columns <c>Address</c>, <c>Port</c>, <c>Generation</c>, <c>Status</c> (the <see cref="SiloStatus"/> name),
/// <c>HostName</c>, <c>SiloName</c>, <c>RoleName</c>, <c>ProxyPort</c>, <c>UpdateZone</c>, <c>FaultZone</c>,
/// <c>StartTime</c>, <c>IAmAliveTime</c> (UTC date-times) and <c>SuspectTimes</c>
/// (<c>silo,time|silo,time</c>, times as round-trip ISO 8601).</item>
/// </list>
/// Concurrency: Azure changes a row's ETag on every write, so a silo row's ETag alone cannot guard the
/// table; every insert and update also replaces the version row under <c>If-Match</c> in the same
/// transaction, and either both commit or neither does. A lost race is a false return, never a throw.
/// <see cref="UpdateIAmAlive"/> merges the alive time alone, unconditionally, and leaves the version.
/// </remarks>
public sealed partial class AzureTableMembershipTable : IMembershipTable
{
    private const int MaxSnapshotAttempts = 5;
    private const int MaxTransactionActions = 100;

    private readonly TableClient _table;
    private readonly string _clusterId;
    private readonly ILogger _logger;

    public AzureTableMembershipTable(IOptions<AzureTableClusteringOptions> options, IOptions<ClusterOptions> clusterOptions, ILogger<AzureTableMembershipTable> logger)
        : this(options.Value.CreateTableClient(), clusterOptions.Value.ClusterId, logger)
    {
    }

    internal AzureTableMembershipTable(TableClient table, string clusterId, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(logger);
        ValidateClusterId(clusterId);
        _table = table;
        _clusterId = clusterId;
        _logger = logger;
    }

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        await _table.CreateIfNotExistsAsync().ConfigureAwait(false);
        if (!tryInitTableVersion)
        {
            return;
        }

        try
        {
            await _table.AddEntityAsync(MembershipRows.VersionRow(_clusterId, 0)).ConfigureAwait(false);
            LogVersionRowCreated(_clusterId, _table.Name);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            // Another silo created it first: the table is initialized either way.
        }
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        ValidateClusterId(clusterId);
        var keys = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {clusterId}"), select: ["PartitionKey", "RowKey"]).ConfigureAwait(false))
        {
            keys.Add(row);
        }

        foreach (var chunk in keys.Chunk(MaxTransactionActions))
        {
            await _table.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All))).ConfigureAwait(false);
        }

        LogClusterDeleted(clusterId, keys.Count, _table.Name);
    }

    /// <remarks>
    /// Removes every silo row that is not <see cref="SiloStatus.Active"/> and whose I-am-alive time is
    /// before <paramref name="beforeDate"/>, as Orleans' own contract tests expect (a silo that died while
    /// joining never becomes Dead). Each delete is conditional on the ETag just read, so a row rewritten
    /// meanwhile stays. The table version is not changed: nobody's view of live silos changes.
    /// </remarks>
    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        var removed = 0;
        foreach (var (entity, entry) in await ReadSiloRowsAsync().ConfigureAwait(false))
        {
            if (entry.Status == SiloStatus.Active || entry.IAmAliveTime >= beforeDate.UtcDateTime)
            {
                continue;
            }

            try
            {
                await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag).ConfigureAwait(false);
                removed++;
            }
            catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
            {
                // Deleted or rewritten since the read: not ours to remove now.
            }
        }

        LogDefunctRowsRemoved(_clusterId, removed, beforeDate);
    }

    public async Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_clusterId} and (RowKey eq {MembershipRows.VersionRowKey} or RowKey eq {MembershipRows.RowKey(key)})");
        var rows = new List<TableEntity>(2);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return ToTableData(rows);
    }

    /// <remarks>
    /// One partition query returns the version row and the silo rows. A query answered in one page is
    /// one consistent read; one that needs several pages (over 1,000 rows) is accepted only when the
    /// version row's ETag read just before the query, the one in it and the one read just after all
    /// agree: every membership write changes that ETag, so none committed while the pages were read.
    /// </remarks>
    public async Task<MembershipTableData> ReadAll()
    {
        ETag? fence = null;
        for (var attempt = 0; attempt < MaxSnapshotAttempts; attempt++)
        {
            var rows = new List<TableEntity>();
            var pages = 0;
            await foreach (var page in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {_clusterId}")).AsPages().ConfigureAwait(false))
            {
                pages++;
                rows.AddRange(page.Values);
            }

            var data = ToTableData(rows);
            if (pages <= 1)
            {
                return data;
            }

            var after = (await _table.GetEntityAsync<TableEntity>(_clusterId, MembershipRows.VersionRowKey, select: ["RowKey"]).ConfigureAwait(false)).Value.ETag;
            if (fence is { } before && before.ToString() == data.Version.VersionEtag && after.ToString() == data.Version.VersionEtag)
            {
                return data;
            }

            // The read just made precedes the next query: it is that query's fence.
            fence = after;
        }

        LogNoConsistentSnapshot(_clusterId, _table.Name, MaxSnapshotAttempts);
        throw new OrlogException(ErrorCode.KafkaStorageError, $"Could not read a consistent membership snapshot of cluster '{_clusterId}' from table '{_table.Name}' in {MaxSnapshotAttempts} attempts: membership changed during every read. Orleans retries the read.");
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        return TrySubmitAsync("insert", entry, tableVersion,
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, MembershipRows.VersionRow(_clusterId, tableVersion.Version), new ETag(tableVersion.VersionEtag)),
            new TableTransactionAction(TableTransactionActionType.Add, MembershipRows.ToEntity(_clusterId, entry)),
        ]);
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        ArgumentNullException.ThrowIfNull(tableVersion);
        return TrySubmitAsync("update", entry, tableVersion,
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, MembershipRows.VersionRow(_clusterId, tableVersion.Version), new ETag(tableVersion.VersionEtag)),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, MembershipRows.ToEntity(_clusterId, entry), new ETag(etag)),
        ]);
    }

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var alive = new TableEntity(_clusterId, MembershipRows.RowKey(entry.SiloAddress)) { ["IAmAliveTime"] = MembershipRows.Utc(entry.IAmAliveTime) };
        await _table.UpdateEntityAsync(alive, ETag.All, TableUpdateMode.Merge).ConfigureAwait(false);
    }

    private async Task<bool> TrySubmitAsync(string operation, MembershipEntry entry, TableVersion tableVersion, TableTransactionAction[] actions)
    {
        try
        {
            await _table.SubmitTransactionAsync(actions).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (IsLostRace(e))
        {
            // A stale version ETag (412), an existing silo row on insert (409), or a missing one on update (404).
            LogWriteConflict(operation, entry.SiloAddress, tableVersion.Version, e.Status, e.ErrorCode ?? "none");
            return false;
        }
    }

    private static bool IsLostRace(RequestFailedException e) =>
        e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict
        || (e.Status == (int)HttpStatusCode.NotFound && e.ErrorCode != "TableNotFound");

    private async Task<List<(TableEntity Entity, MembershipEntry Entry)>> ReadSiloRowsAsync()
    {
        var rows = new List<(TableEntity, MembershipEntry)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {_clusterId} and RowKey ne {MembershipRows.VersionRowKey}")).ConfigureAwait(false))
        {
            if (TryParse(row) is { } entry)
            {
                rows.Add((row, entry));
            }
        }

        return rows;
    }

    private MembershipTableData ToTableData(List<TableEntity> rows)
    {
        TableVersion? version = null;
        var members = new List<Tuple<MembershipEntry, string>>(rows.Count);
        foreach (var row in rows)
        {
            if (row.RowKey == MembershipRows.VersionRowKey)
            {
                version = new TableVersion(row.GetInt32(MembershipRows.VersionColumn) ?? 0, row.ETag.ToString());
            }
            else if (TryParse(row) is { } entry)
            {
                members.Add(Tuple.Create(entry, row.ETag.ToString()));
            }
        }

        return new MembershipTableData(members, version ?? throw new OrlogException(ErrorCode.KafkaStorageError,
            $"The membership table '{_table.Name}' has no version row for cluster '{_clusterId}': a silo initializes it at start-up; start a silo of this cluster first."));
    }

    /// <summary>A row that cannot be read is left out (and logged) rather than stopping the whole cluster from reading its membership.</summary>
    private MembershipEntry? TryParse(TableEntity row)
    {
        try
        {
            return MembershipRows.ToEntry(row);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            LogUnreadableRow(e, row.RowKey, _clusterId, _table.Name);
            return null;
        }
    }

    private static void ValidateClusterId(string clusterId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        if (clusterId.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException($"The cluster id '{clusterId}' cannot be an Azure table partition key: it must not contain '/', '\\', '#', '?' or control characters.", nameof(clusterId));
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Created the membership version row of cluster {ClusterId} in table {TableName}")]
    private partial void LogVersionRowCreated(string clusterId, string tableName);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Membership {Operation} of silo {Silo} at table version {Version} lost a race (status {Status}, {ErrorCode}); Orleans reads the table again and retries")]
    private partial void LogWriteConflict(string operation, SiloAddress silo, int version, int status, string errorCode);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Removed {Count} defunct silo rows of cluster {ClusterId} not alive since {BeforeDate}")]
    private partial void LogDefunctRowsRemoved(string clusterId, int count, DateTimeOffset beforeDate);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Deleted all {Count} membership rows of cluster {ClusterId} from table {TableName}")]
    private partial void LogClusterDeleted(string clusterId, int count, string tableName);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Could not read a consistent membership snapshot of cluster {ClusterId} from table {TableName} in {Attempts} attempts")]
    private partial void LogNoConsistentSnapshot(string clusterId, string tableName, int attempts);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "Ignoring the unreadable membership row {RowKey} of cluster {ClusterId} in table {TableName}; delete or repair it")]
    private partial void LogUnreadableRow(Exception exception, string rowKey, string clusterId, string tableName);
}
