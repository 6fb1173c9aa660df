namespace Orlog.Client;

/// <summary>One silo (broker) of the cluster as membership sees it.</summary>
/// <param name="Address">The silo's endpoint and generation.</param>
/// <param name="Status">Orleans membership status: Active, Joining, ShuttingDown, Dead, ...</param>
public sealed record SiloDescription(string Address, string Name, string HostName, string Status, DateTime StartedAt);
