using Orlog.Errors;

namespace Orlog.Client;

/// <summary>What one fetch brought: whole batches read from <see cref="FetchOffset"/>, or the error that stopped the partition.</summary>
/// <param name="Records">The broker's buffer, batches back to back; read-only (a co-hosted broker may share it).</param>
/// <param name="NextOffset">Where the next fetch starts: just past the last batch.</param>
internal sealed record FetchedChunk(byte[] Records, long FetchOffset, long NextOffset, long HighWatermark, OrlogException? Error = null);
