using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace Orlog.Client;

/// <summary>Builds an <see cref="IAdminClient"/> (Confluent.Kafka's <c>AdminClientBuilder</c>).</summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The client is borrowed: the caller or the built admin client owns it.")]
public sealed class AdminClientBuilder
{
    private readonly AdminClientConfig _config;
    private OrlogClient? _client;

    public AdminClientBuilder(AdminClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>Talk through a shared connection; the admin client does not dispose it.</summary>
    public AdminClientBuilder SetClient(OrlogClient client)
    {
        _client = client;
        return this;
    }

    /// <summary>Co-hosted use: talk through the app's Orleans connection.</summary>
    public AdminClientBuilder SetGrainFactory(IGrainFactory grainFactory)
    {
        _client = new OrlogClient(grainFactory);
        return this;
    }

    /// <exception cref="Errors.OrlogException">INVALID_CONFIG.</exception>
    public IAdminClient Build()
    {
        _config.Validate();
        return _client is null ? new AdminClient(new OrlogClient(_config), ownsClient: true) : new AdminClient(_client, ownsClient: false);
    }
}
