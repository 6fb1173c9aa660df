using Orleans.Dashboard;
using Orlog.Groups;
using Orlog.Replication;
using Orlog.Silo;

var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection(OrlogSiloOptions.SectionName).Get<OrlogSiloOptions>() ?? new OrlogSiloOptions();
options.Validate();
if (options.ZoneFromInstanceMetadata)
{
    options.Zone = await AzureInstanceMetadata.ZoneAsync(options.InstanceMetadataEndpoint, CancellationToken.None);
}

builder.WebHost.UseUrls([$"http://localhost:{options.HttpPort}", .. options.HealthPort is { } health ? [$"http://*:{health}"] : Array.Empty<string>()]);
builder.Services.Configure<ConsumerGroupOptions>(builder.Configuration.GetSection(OrlogSiloOptions.GroupsSectionName));
builder.Services.Configure<ReplicationOptions>(builder.Configuration.GetSection(OrlogSiloOptions.ReplicationSectionName));
var metadata = builder.Configuration.GetSection(MetadataSettings.SectionName).Get<MetadataSettings>() ?? new MetadataSettings();
var tiering = builder.Configuration.GetSection(TieringSettings.SectionName).Get<TieringSettings>() ?? new TieringSettings();
var clustering = builder.Configuration.GetSection(ClusteringSettings.SectionName).Get<ClusteringSettings>() ?? new ClusteringSettings();
clustering.Validate();
if (clustering.Provider == ClusteringProvider.AzureTable && metadata.Provider != MetadataProvider.AzureBlob)
{
    throw new ArgumentException("A cluster of many silos shares its metadata: Orlog:Clustering:Provider=AzureTable needs Orlog:Metadata:Provider=AzureBlob.");
}
builder.UseOrleans(silo =>
{
    silo.AddOrlogBrokerSilo(options, clustering, metadata, tiering);
    if (Telemetry.IsEnabled(builder.Configuration))
    {
        // Grain calls become activities (traces) only with Orleans' activity propagation.
        silo.AddActivityPropagation();
    }
});
builder.AddOrlogTelemetry();

var app = builder.Build();
if (options.HealthPort is { } healthPort)
{
    // The health port is open to the network: it answers /healthz and nothing else.
    app.Use((context, next) =>
        context.Connection.LocalPort != healthPort || context.Request.Path == "/healthz" ? next(context) : Results.NotFound().ExecuteAsync(context));
}
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapGet("/healthz", () => Results.Text("ok"));
app.Lifetime.ApplicationStarted.Register(() => app.Logger.SiloStarted(options));
await app.RunAsync();

