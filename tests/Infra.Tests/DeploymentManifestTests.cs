using System.Text.Json;
using System.Xml.Linq;
using Xunit;
using static Orlog.Infra.Yaml;

namespace Orlog.Infra;

/// <summary>
/// The shape of what <c>azd up</c> deploys, checked without Azure: azure.yaml names the silo project, its
/// Dockerfile and its Kubernetes manifests; the manifests run the silo image as a non-root user with health
/// probes on the health-only port and its data on a persistent premium SSD; nothing exposes the dashboard; every variable they use is
/// an output of the Bicep templates.
/// </summary>
public sealed class DeploymentManifestTests
{
    private const string ImageVariable = "SERVICE_SILO_IMAGE_NAME";
    private static readonly string[] RootUsers = ["root", "0", "0:0"];

    private static readonly List<Dictionary<object, object>> Manifests =
        [.. Directory.GetFiles(Repository.PathOf("infra", "k8s"), "*.yaml").Order(StringComparer.Ordinal).SelectMany(Documents)];

    [Fact]
    public void AzureYaml_DeploysTheSiloProject_ToAks_WithItsDockerfileAndManifests()
    {
        var silo = At(Documents(Repository.PathOf("azure.yaml")).Single(), "services.silo");
        var project = Text(silo, "project")!;

        Assert.True(File.Exists(Repository.PathOf(project, "Silo.csproj")), $"services.silo.project '{project}' is not the Silo project.");
        Assert.Equal("dotnet", Text(silo, "language"));
        Assert.Equal("aks", Text(silo, "host"));
        Assert.True(File.Exists(Repository.PathOf(project, Text(silo, "docker.path")!)), "docker.path names no file.");
        Assert.Equal(Repository.PathOf("infra", "k8s"), Path.GetFullPath(Repository.PathOf(project, Text(silo, "k8s.deploymentPath")!)).TrimEnd('/'));
    }

    [Fact]
    public void TheSiloStatefulSet_RunsTheImage_AsNonRoot_WithHealthProbes_AndItsDataOnAPersistentPremiumVolume()
    {
        var set = Manifests.Single(m => Text(m, "kind") == "StatefulSet");
        var pod = At(set, "spec.template.spec");
        var container = Assert.Single(Items(pod, "containers"));
        var dataMount = Items(container, "volumeMounts").Single(m => Text(m, "mountPath") == "/data");
        var claim = Items(set, "spec.volumeClaimTemplates").Single(c => Text(c, "metadata.name") == Text(dataMount, "name"));

        Assert.Equal($"${{{ImageVariable}}}", Text(container, "image"));
        Assert.Equal("true", Text(pod, "securityContext.runAsNonRoot") ?? Text(container, "securityContext.runAsNonRoot"));
        Assert.All(["startupProbe", "readinessProbe", "livenessProbe"], probe => Assert.Equal("/healthz", Text(container, $"{probe}.httpGet.path")));
        Assert.Equal("managed-csi-premium", Text(claim, "spec.storageClassName"));
        Assert.Contains("ReadWriteOnce", (At(claim, "spec.accessModes") as List<object>)!);
        Assert.Equal("/data", Env(container, "Orlog__DataDir"));
        Assert.All(["startupProbe", "readinessProbe", "livenessProbe"], probe => Assert.Equal("health", Text(container, $"{probe}.httpGet.port")));
        Assert.Equal(Env(container, "Orlog__HealthPort"), Text(Items(container, "ports").Single(p => Text(p, "name") == "health"), "containerPort"));
        Assert.DoesNotContain(Items(container, "env"), e => Text(e, "name")!.StartsWith("Kestrel__", StringComparison.Ordinal));
    }

    [Fact]
    public void NoServiceExposesTheDashboard_AndLoadBalancersAreInternal()
    {
        var services = Manifests.Where(m => Text(m, "kind") == "Service").ToList();
        var ports = services.SelectMany(s => Items(s, "spec.ports")).SelectMany(p => new[] { Text(p, "port"), Text(p, "targetPort") });

        Assert.NotEmpty(services);
        Assert.DoesNotContain("8080", ports);
        Assert.All(
            services.Where(s => Text(s, "spec.type") == "LoadBalancer"),
            s => Assert.Equal("true", Annotation(s, "service.beta.kubernetes.io/azure-load-balancer-internal")));
    }

    [Fact]
    public void TheSilosTelemetry_GoesToTheCollector_WhichExportsMetricsAndTracesToAzureMonitor()
    {
        var container = Assert.Single(Items(At(Manifests.Single(m => Text(m, "kind") == "StatefulSet"), "spec.template.spec"), "containers"));
        var endpoint = new Uri(Env(container, "OTEL_EXPORTER_OTLP_ENDPOINT")!);
        var service = Manifests.Single(m => Text(m, "kind") == "Service" && endpoint.Host.StartsWith($"{Text(m, "metadata.name")}.{Text(m, "metadata.namespace")}.", StringComparison.Ordinal));
        var configMap = Manifests.Single(m => Text(m, "kind") == "ConfigMap" && Text(m, "metadata.name") == Text(service, "metadata.name"));
        var config = Parse((string)((Dictionary<object, object>)At(configMap, "data")!)["config.yaml"]).Single();

        Assert.Contains(Items(service, "spec.ports"), p => Text(p, "port") == endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(At(config, "receivers.otlp.protocols.grpc"));
        Assert.All(["metrics", "traces"], pipeline =>
        {
            Assert.Contains("otlp", (At(config, $"service.pipelines.{pipeline}.receivers") as List<object>)!);
            Assert.Contains("azuremonitor", (At(config, $"service.pipelines.{pipeline}.exporters") as List<object>)!);
        });
        Assert.Equal("${APPLICATIONINSIGHTS_CONNECTION_STRING}", Text(config, "exporters.azuremonitor.connection_string"));
    }

    [Fact]
    public async Task EveryVariableTheManifestsUse_IsAnOutputOfTheInfrastructure()
    {
        var (exitCode, output, error) = await Repository.RunAsync(Repository.Bicep, "build", "infra/main.bicep", "--stdout");
        Assert.True(exitCode == 0, error);
        using var template = JsonDocument.Parse(output);
        var outputs = template.RootElement.GetProperty("outputs").EnumerateObject().Select(o => o.Name).Append(ImageVariable).ToHashSet(StringComparer.Ordinal);

        var used = Directory.GetFiles(Repository.PathOf("infra", "k8s"), "*.yaml")
            .SelectMany(f => Variable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(outputs));
    }

    [Fact]
    public void TheDockerfile_RunsTheSiloAsANonRootUser_AndCopiesEveryProjectItBuildsFrom()
    {
        var dockerfile = File.ReadAllText(Repository.PathOf("Silo", "Dockerfile"));
        var user = dockerfile.Split('\n').Last(line => line.TrimStart().StartsWith("USER ", StringComparison.Ordinal)).Trim()["USER ".Length..].Trim();

        Assert.DoesNotContain(user, RootUsers);
        Assert.Contains("Orlog.Silo.dll", dockerfile, StringComparison.Ordinal);
        Assert.All(ProjectsOf(Repository.PathOf("Silo", "Silo.csproj")), project =>
            Assert.Contains(Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(project)!), dockerfile, StringComparison.Ordinal));
    }

    /// <summary>The project and every project it references, transitively.</summary>
    private static HashSet<string> ProjectsOf(string project)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!all.Add(next))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Attribute("Include")!.Value)));
            }
        }

        return all;
    }

    private static string? Env(object container, string name) => Text(Items(container, "env").Single(e => Text(e, "name") == name), "value");

    private static string? Annotation(object service, string name) =>
        At(service, "metadata.annotations") is Dictionary<object, object> annotations && annotations.TryGetValue(name, out var value) ? value as string : null;
}
