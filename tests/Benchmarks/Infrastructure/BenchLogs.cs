using Orlog.Log;

namespace Orlog.Benchmarks.Infrastructure;

internal static class BenchLogs
{
    /// <summary>
    /// Opens a new log in <paramref name="directory"/> and appends <paramref name="batch"/> once. The
    /// first append of a log records leader epoch 0 in the epoch checkpoint (a small file written
    /// with an fsync, once per epoch): set-up, not the steady-state appends a benchmark measures.
    /// </summary>
    public static PartitionLog OpenStarted(string directory, LogConfig config, byte[] batch)
    {
        var log = PartitionLog.Open(directory, config);
        log.Append(batch);
        return log;
    }
}
