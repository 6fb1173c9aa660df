using Azure.Storage.Blobs;

namespace Orlog.Azure;

/// <summary>
/// The Azurite instance the test command (test.sh) starts for this run: its connection string is in
/// <c>ORLOG_TEST_AZURE_STORAGE</c>. Tests that need Azure Storage fail with this message without it.
/// </summary>
internal static class Azurite
{
    public const string Variable = "ORLOG_TEST_AZURE_STORAGE";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set: run the tests with ./test.sh, which starts Azurite (or start one with ./azurite.sh and set {Variable}).");

    /// <summary>The port of the blob service.</summary>
    public static int BlobPort =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(ConnectionString, @"BlobEndpoint=http://127\.0\.0\.1:(\d+)/").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The connection string with the blob endpoint on another local port (a relay in front of Azurite).</summary>
    public static string ConnectionStringVia(int blobPort) =>
        System.Text.RegularExpressions.Regex.Replace(ConnectionString, @"BlobEndpoint=http://127\.0\.0\.1:\d+/", $"BlobEndpoint=http://127.0.0.1:{blobPort}/");

    /// <summary>A container of its own for a test class (created on first use by the code under test or the caller).</summary>
    public static BlobContainerClient NewContainer(string prefix) =>
        new BlobServiceClient(ConnectionString).GetBlobContainerClient($"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)]);
}
