namespace Orlog;

/// <summary>The Orleans cluster and service ids the embedded silo uses and clients assume by default.</summary>
public static class OrlogCluster
{
    public const string DefaultClusterId = "orlog";
    public const string DefaultServiceId = "orlog";
}
