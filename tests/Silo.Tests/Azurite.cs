namespace Orlog.Silo;

/// <summary>The Azurite instance test.sh starts for the run (connection string in <c>ORLOG_TEST_AZURE_STORAGE</c>).</summary>
internal static class Azurite
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ORLOG_TEST_AZURE_STORAGE") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ORLOG_TEST_AZURE_STORAGE is not set: run the tests with ./test.sh, which starts Azurite.");
}
