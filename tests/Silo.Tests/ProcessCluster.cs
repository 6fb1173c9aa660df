namespace Orlog.Silo;

/// <summary>Silo processes that form one cluster through the Azure membership table and blob metadata (Azurite).</summary>
internal static class ProcessCluster
{
    /// <summary>Brokers 1 to <paramref name="count"/>, each on its own data directory under <paramref name="root"/> (not started).</summary>
    public static SiloProcess[] Brokers(DirectoryInfo root, string storage, string clusterId, int count, params string[] settings) =>
        [.. Enumerable.Range(1, count).Select(id => new SiloProcess(
            Directory.CreateDirectory(Path.Combine(root.FullName, $"broker-{id}")).FullName,
            [
                $"--Orlog:BrokerId={id}",
                "--Orlog:Clustering:Provider=AzureTable",
                $"--Orlog:Clustering:ConnectionString={storage}",
                $"--Orlog:Clustering:ClusterId={clusterId}",
                "--Orlog:Clustering:AdvertisedIP=127.0.0.1",
                "--Orlog:Metadata:Provider=AzureBlob",
                $"--Orlog:Metadata:ConnectionString={storage}",
                $"--Orlog:Metadata:ContainerName={clusterId}",
                .. settings,
            ]))];
}
