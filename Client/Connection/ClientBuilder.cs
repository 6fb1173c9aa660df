using Orleans;

namespace Orlog.Client;

/// <summary>What the producer and consumer builders share: how to connect, and the clock.</summary>
/// <typeparam name="TSelf">The concrete builder, so that the calls chain.</typeparam>
public abstract class ClientBuilder<TSelf>
    where TSelf : ClientBuilder<TSelf>
{
    private protected OrlogClient? Client { get; private set; }

    private protected TimeProvider Time { get; private set; } = TimeProvider.System;

    /// <summary>Talk through a shared connection; the built client does not dispose it.</summary>
    public TSelf SetClient(OrlogClient client)
    {
        Client = client;
        return (TSelf)this;
    }

    /// <summary>Co-hosted use: talk through the app's (or the silo's) Orleans connection.</summary>
    public TSelf SetGrainFactory(IGrainFactory grainFactory)
    {
        Client = new OrlogClient(grainFactory);
        return (TSelf)this;
    }

    /// <summary>The clock for linger, backoff and timeouts; tests pass a fake one.</summary>
    public TSelf SetTimeProvider(TimeProvider time)
    {
        Time = time;
        return (TSelf)this;
    }
}
