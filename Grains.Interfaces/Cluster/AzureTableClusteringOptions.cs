using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace Orlog.Cluster;

/// <summary>Settings of the Orleans membership table (silos) and gateway list (clients) on Azure Table Storage.</summary>
/// <remarks>
/// Credentials: either <see cref="ConnectionString"/> (Azurite, or an account key), or
/// <see cref="ServiceUri"/> with <see cref="Credential"/> — <c>DefaultAzureCredential</c> when none
/// is given (managed identity in Azure, the developer's login on a laptop): no key in configuration.
/// One table can hold many clusters: each cluster id is a partition of its own.
/// </remarks>
public sealed class AzureTableClusteringOptions
{
    public const string DefaultTableName = "OrlogMembership";

    /// <summary>A storage connection string with a table endpoint; leave null to use <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table service endpoint, <c>https://&lt;account&gt;.table.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The credential for <see cref="ServiceUri"/>; null means <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The table holding the membership rows; created when missing. Default <c>OrlogMembership</c>.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Options reaching <paramref name="table"/> in <paramref name="tableName"/>: <paramref name="table"/> is a
    /// connection string, or an <c>http(s)</c> table service endpoint reached with DefaultAzureCredential.
    /// </summary>
    public static AzureTableClusteringOptions For(string table, string tableName = DefaultTableName) =>
        Uri.TryCreate(table, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new AzureTableClusteringOptions { ServiceUri = uri, TableName = tableName }
            : new AzureTableClusteringOptions { ConnectionString = table, TableName = tableName };

    /// <summary>Copies these settings onto <paramref name="target"/> (for the options pattern's configure callbacks).</summary>
    public void CopyTo(AzureTableClusteringOptions target)
    {
        target.ConnectionString = ConnectionString;
        target.ServiceUri = ServiceUri;
        target.Credential = Credential;
        target.TableName = TableName;
    }

    /// <summary>Throws when a setting cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (ServiceUri is null))
        {
            throw new ArgumentException("Set exactly one of ConnectionString and ServiceUri for the Azure Table membership.");
        }

        if (!IsValidTableName(TableName))
        {
            throw new ArgumentException($"'{TableName}' is not a valid Azure table name: 3 to 63 letters and digits, starting with a letter.");
        }
    }

    /// <summary>The table the options name, reached with their credentials (not created here).</summary>
    public TableClient CreateTableClient()
    {
        Validate();
        var service = ConnectionString is { } connectionString
            ? new TableServiceClient(connectionString)
            : new TableServiceClient(ServiceUri, Credential ?? new DefaultAzureCredential());
        return service.GetTableClient(TableName);
    }

    /// <summary>Azure's rule: 3 to 63 letters and digits, starting with a letter.</summary>
    public static bool IsValidTableName(string? name) =>
        name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
