using Microsoft.Extensions.Logging;

namespace Orlog.Storage;

/// <summary>Operator-facing events of the file grain storage: only refused writes, which point at two live activations or a stale one.</summary>
public sealed partial class FileGrainStorage
{
    private void LogConflict(string operation, string stateName, GrainId grainId, string? storedETag, string? expectedETag) =>
        LogETagConflict(_name, operation, stateName, grainId.ToString(), storedETag ?? "null", expectedETag ?? "null");

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Grain storage {Provider} refused a {Operation} of state {StateName} of grain {GrainId}: stored ETag {StoredETag}, caller's ETag {ExpectedETag}")]
    private partial void LogETagConflict(string provider, string operation, string stateName, string grainId, string storedETag, string expectedETag);
}
