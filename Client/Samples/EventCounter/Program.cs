using Orlog.Client;
using Orlog.Streams;

// An app's own Orleans silo (cluster "event-counter" on localhost), reading topic "readings" of the Orlog
// broker at Orlog:BootstrapServers (default: the embedded broker on localhost) as Orleans streams.
var builder = Host.CreateApplicationBuilder(args);
var siloPort = builder.Configuration.GetValue("Sample:SiloPort", 11112);
var gatewayPort = builder.Configuration.GetValue("Sample:GatewayPort", 30002);
var broker = builder.Configuration["Orlog:BootstrapServers"];

builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "event-counter", clusterId: "event-counter");
    silo.AddMemoryGrainStorage("PubSubStore");
    silo.AddOrlogStreams("event-counter", options =>
    {
        options.Topics.Add("readings");
        options.Serializer = OrlogStreamSerializers.Raw;
        options.Cluster = new ClientConfig { BootstrapServers = broker };
    });
});

await builder.Build().RunAsync();
