using System.Text.Json;
using System.Text.Json.Serialization;
using Orlog.Errors;

namespace Orlog.Tiering;

/// <summary>
/// The stored form of a <see cref="RemoteManifest"/>, the same in every store:
/// <code>
/// {
///   "version": 1,                 format version; a reader refuses any other
///   "revision": 7,                local store only: its write counter (the manifest's version there);
///                                 absent in Azure, where the blob's ETag is the version
///   "segments": [                 in offset order
///     { "baseOffset": 0, "lastOffset": 99, "maxTimestamp": 1700000000000,
///       "sizeInBytes": 16384, "leaderEpoch": 3, "state": "CopyFinished" }
///   ]
/// }
/// </code>
/// States are written by name (<see cref="RemoteSegmentState"/>), so reordering the enum cannot
/// change a stored manifest's meaning. Every segment field is required on reading.
/// </summary>
public static partial class RemoteManifestJson
{
    /// <summary>The format version this code writes and the only one it reads.</summary>
    public const int FormatVersion = 1;

    public static byte[] Serialize(RemoteManifest manifest, long? revision = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var segments = manifest.Segments
            .Select(s => new SegmentJson(s.BaseOffset, s.LastOffset, s.MaxTimestamp, s.SizeInBytes, s.LeaderEpoch, s.State))
            .ToList();
        return JsonSerializer.SerializeToUtf8Bytes(new ManifestJson(FormatVersion, segments, revision), ManifestJsonContext.Default.ManifestJson);
    }

    /// <param name="source">Where the bytes came from, for the error message (a blob or file name).</param>
    /// <exception cref="OrlogException">KAFKA_STORAGE_ERROR when the bytes are not a manifest of a known format version.</exception>
    public static RemoteManifest Deserialize(ReadOnlySpan<byte> utf8Json, string source) => Deserialize(utf8Json, source, out _);

    /// <inheritdoc cref="Deserialize(ReadOnlySpan{byte}, string)"/>
    /// <param name="revision">The local store's write counter; null when the manifest has none.</param>
    public static RemoteManifest Deserialize(ReadOnlySpan<byte> utf8Json, string source, out long? revision)
    {
        ManifestJson? document;
        try
        {
            // The version first, on its own: a newer format may not even parse as this one.
            var probe = JsonSerializer.Deserialize(utf8Json, ManifestJsonContext.Default.FormatProbe);
            if (probe?.Version != FormatVersion)
            {
                throw new OrlogException(
                    ErrorCode.KafkaStorageError,
                    $"The remote manifest '{source}' has format version {probe?.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}; "
                        + $"this broker reads only version {FormatVersion}. Was it written by a newer Orlog?");
            }

            document = JsonSerializer.Deserialize(utf8Json, ManifestJsonContext.Default.ManifestJson);
        }
        catch (JsonException e)
        {
            throw new OrlogException(ErrorCode.KafkaStorageError, $"The remote manifest '{source}' is not valid manifest JSON: {e.Message}", e);
        }

        if (document is null)
        {
            throw new OrlogException(ErrorCode.KafkaStorageError, $"The remote manifest '{source}' is JSON null.");
        }

        revision = document.Revision;
        return new RemoteManifest(document.Segments
            .Select(s => new RemoteSegmentEntry(s.BaseOffset, s.LastOffset, s.MaxTimestamp, s.SizeInBytes, s.LeaderEpoch, s.State))
            .ToList());
    }

    internal sealed record FormatProbe(int? Version);

    internal sealed record ManifestJson(
        int Version,
        [property: JsonPropertyOrder(1)] IReadOnlyList<SegmentJson> Segments,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Revision = null);

    internal sealed record SegmentJson(long BaseOffset, long LastOffset, long MaxTimestamp, long SizeInBytes, int LeaderEpoch, RemoteSegmentState State);

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        UseStringEnumConverter = true,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true)]
    [JsonSerializable(typeof(FormatProbe))]
    [JsonSerializable(typeof(ManifestJson))]
    internal sealed partial class ManifestJsonContext : JsonSerializerContext;
}
