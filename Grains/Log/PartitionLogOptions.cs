using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orlog.Log.Files;

namespace Orlog.Log;

/// <summary>What a <see cref="PartitionLog"/> needs from its host besides its directory and config.</summary>
public sealed class PartitionLogOptions
{
    /// <summary>Opens segment files; the default opens them through a private <see cref="FileHandleCache"/>.</summary>
    public LogFileFactory? Files { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
