using System.Text.Json;

namespace Orlog.Cluster;

/// <summary>
/// <c>&lt;dataDir&gt;/meta.json</c>: the broker id a data directory belongs to (Kafka keeps the same in
/// its <c>meta.properties</c>). Written once, when a silo first starts on the directory; a silo that
/// restarts on it is the same broker and finds its partitions there.
/// </summary>
public static class BrokerMetaFile
{
    public const string FileName = "meta.json";

    /// <summary>Generated ids start above this, as Kafka's do above <c>reserved.broker.max.id</c>, so they never clash with configured ones.</summary>
    public const int MaxConfiguredBrokerId = 1000;

    /// <summary>
    /// The directory's broker id with <paramref name="zone"/>. A directory without <c>meta.json</c> gets
    /// <paramref name="configuredId"/>, or a random id above <see cref="MaxConfiguredBrokerId"/> when none is configured.
    /// </summary>
    /// <exception cref="InvalidOperationException">The directory belongs to another broker than the configured one, or its meta.json is damaged.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The configured id is negative.</exception>
    public static BrokerIdentity LoadOrCreate(string dataDir, int? configuredId = null, string? zone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        if (configuredId is { } configured)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(configured, "Orlog:BrokerId");
        }

        var path = Path.Combine(dataDir, FileName);
        var zoneOrNull = string.IsNullOrWhiteSpace(zone) ? null : zone;
        if (File.Exists(path))
        {
            var stored = Read(path);
            if (configuredId is { } expected && expected != stored)
            {
                throw new InvalidOperationException(
                    $"The data directory {Path.GetFullPath(dataDir)} belongs to broker {stored}, but this silo is configured as broker {expected} (Orlog:BrokerId). Use the broker's own data directory, or remove the setting.");
            }

            return new BrokerIdentity(stored, zoneOrNull);
        }

        var brokerId = configuredId ?? Random.Shared.Next(MaxConfiguredBrokerId + 1, int.MaxValue);
        Write(dataDir, path, brokerId);
        return new BrokerIdentity(brokerId, zoneOrNull);
    }

    private static int Read(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var brokerId = json.RootElement.GetProperty("brokerId").GetInt32();
            return brokerId >= 0 ? brokerId : throw new FormatException("The broker id is negative.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{path} is damaged ({e.Message}); it must hold {{\"version\":1,\"brokerId\":<id>}}.", e);
        }
    }

    /// <summary>Written to a temporary file, flushed, then renamed: a crash leaves the whole file or none.</summary>
    private static void Write(string dataDir, string path, int brokerId)
    {
        Directory.CreateDirectory(dataDir);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, new { version = 1, brokerId });
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
    }
}
