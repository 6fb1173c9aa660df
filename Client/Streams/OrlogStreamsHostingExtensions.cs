using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Orlog.Streams;

/// <summary>Registers an Orlog stream provider on a silo or an Orleans client.</summary>
public static class OrlogStreamsHostingExtensions
{
    /// <summary>
    /// Adds the persistent stream provider <paramref name="name"/> whose queues are the partitions of
    /// <see cref="OrlogStreamOptions.Topics"/>; the silo runs pulling agents for its share of them.
    /// Explicit subscriptions need the usual Orleans grain storage named "PubSubStore".
    /// </summary>
    public static ISiloBuilder AddOrlogStreams(this ISiloBuilder builder, string name, Action<OrlogStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(name, configure);
        return builder.AddPersistentStreams(name, OrlogQueueAdapterFactory.CreateForSilo, streams =>
        {
            // The adapter looks up the topics, which takes a silo that has joined its cluster.
            streams.ConfigureLifecycle(lifecycle => lifecycle.Configure(stages =>
            {
                stages.InitStage = ServiceLifecycleStage.Active;
                stages.StartStage = ServiceLifecycleStage.Active + 1;
            }));
        });
    }

    /// <summary>Adds the stream provider <paramref name="name"/> to an Orleans client, for publishing and subscribing.</summary>
    public static IClientBuilder AddOrlogStreams(this IClientBuilder builder, string name, Action<OrlogStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(name, configure);
        return builder.AddPersistentStreams(name, OrlogQueueAdapterFactory.CreateForClient, _ => { });
    }
}
