using Orlog.Infra;
using Xunit;

namespace Orlog.Silo;

/// <summary>
/// The silo configured exactly as the Kubernetes manifests configure it in Azure (infra/k8s/statefulset.yaml),
/// against Azurite: Azure Table membership, blob metadata and blob tiering. Only what Azure itself provides
/// is replaced: connection strings stand in for the managed identity's service URIs, loopback for the pod
/// address, a stand-in for the Azure Instance Metadata Service; ports and the data directory are the test's.
/// </summary>
public sealed class CloudConfigurationTests
{
    /// <summary>Settings the test process owns (ports, data directory) or that only mean something in a pod.</summary>
    private static readonly string[] TestOwned = ["Orlog__DataDir", "Orlog__SiloPort", "Orlog__GatewayPort", "Orlog__HttpPort", "Orlog__HealthPort", "AZURE_CLIENT_ID"];

    [Fact]
    public async Task ASiloWithTheManifestsConfiguration_JoinsThroughTheMembershipTable_AndServesProduceAndFetch()
    {
        var storage = Azurite.ConnectionString;
        var container = $"cloud-{Guid.NewGuid():N}";
        var variables = new Dictionary<string, string>
        {
            ["ORLOG_TABLE_ENDPOINT"] = storage,
            ["ORLOG_BLOB_ENDPOINT"] = storage,
            ["ORLOG_MEMBERSHIP_TABLE"] = "OrlogMembership",
            ["ORLOG_METADATA_CONTAINER"] = container,
            ["ORLOG_TIERING_CONTAINER"] = $"{container}-segments",
        };
        using var instanceMetadata = new StandInHttpServer("1");
        var settings = SiloSettings(variables);
        settings.Add($"--Orlog:InstanceMetadataEndpoint={instanceMetadata.Endpoint}");
        var data = Directory.CreateTempSubdirectory("orlog-cloud-");
        try
        {
            await using var silo = new SiloProcess(data.FullName, [.. settings]);
            await silo.StartAsync();
            var clusterId = settings.Single(s => s.StartsWith("--Orlog:Clustering:ClusterId=", StringComparison.Ordinal)).Split('=', 2)[1];

            var created = await CliProcess.RunOnClusterAsync(storage, clusterId, null, "topics", "create", "cloud", "--partitions", "2");
            var produced = await CliProcess.RunOnClusterAsync(storage, clusterId, "one\ntwo\nthree\n", "produce", "cloud");
            var consumed = await CliProcess.RunOnClusterAsync(storage, clusterId, null, "consume", "cloud", "--from-beginning", "--max-messages", "3", "--timeout-ms", "30000");

            Assert.True(created.ExitCode == 0, created.Error + silo.Output);
            Assert.True(produced.ExitCode == 0, produced.Error);
            Assert.True(consumed.ExitCode == 0, consumed.Error);
            Assert.Equal(["one", "three", "two"], consumed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
            Assert.Contains("--Orlog:Clustering:Provider=AzureTable", settings);
            Assert.Contains("--Orlog:Tiering:Provider=AzureBlob", settings);
            Assert.Contains(instanceMetadata.Requests, r => r.Path == "/metadata/instance/compute/zone");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>The silo container's environment in the manifest, as command-line settings, with Azure's parts replaced.</summary>
    private static List<string> SiloSettings(Dictionary<string, string> variables)
    {
        var manifest = Yaml.Documents(Path.Combine(BuiltAssembly.RepositoryRoot, "infra", "k8s", "statefulset.yaml")).Single(d => Yaml.Text(d, "kind") == "StatefulSet");
        var container = Assert.Single(Yaml.Items(manifest, "spec.template.spec.containers"));
        var settings = new List<string>();
        foreach (var variable in Yaml.Items(container, "env"))
        {
            var name = Yaml.Text(variable, "name")!;
            if (TestOwned.Contains(name) || !name.StartsWith("Orlog__", StringComparison.Ordinal))
            {
                continue;
            }

            var value = Yaml.Text(variable, "valueFrom.fieldRef.fieldPath") switch
            {
                null => Yaml.Variable().Replace(Yaml.Text(variable, "value")!, m => variables[m.Groups[1].Value]),
                "status.podIP" => "127.0.0.1",
                var path when path.Contains("pod-index", StringComparison.Ordinal) => "0",
                var path => throw new InvalidOperationException($"The test does not know what {name} from {path} is."),
            };
            settings.Add($"--{name.Replace("__", ":", StringComparison.Ordinal).Replace(":ServiceUri", ":ConnectionString", StringComparison.Ordinal)}={value}");
        }

        return settings;
    }
}
