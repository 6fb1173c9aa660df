namespace Orlog.Client;

/// <summary>Admin client settings: only the shared connection settings of <see cref="ClientConfig"/> for now.</summary>
public sealed class AdminClientConfig : ClientConfig
{
}
