using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Orleans;

namespace Orlog.Cluster;

/// <summary>
/// The rows of the Azure membership table, shared by the silos' membership table (which writes them)
/// and the clients' gateway list (which reads them). Layout: partition key = cluster id; the
/// <see cref="VersionRowKey"/> row holds the table version; one row per silo, keyed by
/// <c>ip:port@generation</c>.
/// </summary>
public static class MembershipRows
{
    public const string VersionRowKey = "VersionRow";
    public const string VersionColumn = "MembershipVersion";

    public static string RowKey(SiloAddress silo) => silo.ToParsableString();

    public static TableEntity VersionRow(string clusterId, int version) => new(clusterId, VersionRowKey) { [VersionColumn] = version };

    public static TableEntity ToEntity(string clusterId, MembershipEntry entry) => new(clusterId, RowKey(entry.SiloAddress))
    {
        ["Address"] = entry.SiloAddress.Endpoint.Address.ToString(),
        ["Port"] = entry.SiloAddress.Endpoint.Port,
        ["Generation"] = entry.SiloAddress.Generation,
        ["Status"] = entry.Status.ToString(),
        ["HostName"] = entry.HostName,
        ["SiloName"] = entry.SiloName,
        ["RoleName"] = entry.RoleName,
        ["ProxyPort"] = entry.ProxyPort,
        ["UpdateZone"] = entry.UpdateZone,
        ["FaultZone"] = entry.FaultZone,
        ["StartTime"] = Utc(entry.StartTime),
        ["IAmAliveTime"] = Utc(entry.IAmAliveTime),
        ["SuspectTimes"] = string.Join('|', (entry.SuspectTimes ?? []).Select(s => $"{s.Item1.ToParsableString()},{Utc(s.Item2).ToString("O", CultureInfo.InvariantCulture)}")),
    };

    public static MembershipEntry ToEntry(TableEntity row)
    {
        var address = IPAddress.Parse(Required(row.GetString("Address"), "Address"));
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(address, Required(row.GetInt32("Port"), "Port"), Required(row.GetInt32("Generation"), "Generation")),
            Status = Enum.Parse<SiloStatus>(Required(row.GetString("Status"), "Status")),
            HostName = row.GetString("HostName") ?? string.Empty,
            SiloName = row.GetString("SiloName") ?? string.Empty,
            RoleName = row.GetString("RoleName"),
            ProxyPort = row.GetInt32("ProxyPort") ?? 0,
            UpdateZone = row.GetInt32("UpdateZone") ?? 0,
            FaultZone = row.GetInt32("FaultZone") ?? 0,
            StartTime = Utc(row.GetDateTime("StartTime") ?? default),
            IAmAliveTime = Utc(row.GetDateTime("IAmAliveTime") ?? default),
        };
        if (row.GetString("SuspectTimes") is { Length: > 0 } suspects)
        {
            foreach (var suspect in suspects.Split('|'))
            {
                var comma = suspect.LastIndexOf(',');
                entry.AddSuspector(
                    SiloAddress.FromParsableString(suspect[..comma]),
                    DateTime.Parse(suspect[(comma + 1)..], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
            }
        }

        return entry;
    }

    private static T Required<T>(T? value, string column)
        where T : struct =>
        value ?? throw new FormatException($"The membership row has no {column} column.");

    private static string Required(string? value, string column) =>
        value ?? throw new FormatException($"The membership row has no {column} column.");

    public static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
