namespace Orlog.Hosting;

/// <summary>Names of the grain storage providers Orlog's grains use.</summary>
public static class OrlogStorage
{
    /// <summary>Small durable state: topic specs, the topic directory (and later group offsets, controller metadata).</summary>
    public const string Metadata = "orlog-metadata";
}
