using System.Buffers;
using Orlog.Log.Producers;

namespace Orlog.Log;

/// <summary>Idempotent producers: the state that recognises a batch sent twice.</summary>
public sealed partial class PartitionLog
{
    /// <summary>How much of the log's end a reopened log reads to learn its producers: the last two segments.</summary>
    private const int ProducerStateSegments = 2;

    /// <summary>How much one read of that pass takes, into one buffer reused for the whole pass.</summary>
    private const int LoadReadBytes = 1024 * 1024;

    private readonly ProducerStateTable _producers = new();

    /// <summary>Producers the log remembers batches of.</summary>
    public int ProducerCount
    {
        get
        {
            lock (_lock)
            {
                return _producers.Count;
            }
        }
    }

    /// <summary>
    /// Learns the producers from the batch headers of the last segments, so a retry that reaches a reopened log
    /// (a restarted broker, a new leader) is still recognised. Older producers are forgotten: a retry comes soon
    /// after the send, and the segments written since then are few.
    /// </summary>
    private void LoadProducerState()
    {
        var segments = _segments;
        var offset = Math.Max(_logStartOffset, segments[Math.Max(0, segments.Length - ProducerStateSegments)].BaseOffset);
        var buffer = new ArrayBufferWriter<byte>(LoadReadBytes);
        while (offset < _logEndOffset)
        {
            buffer.ResetWrittenCount();
            if (Read(offset, LoadReadBytes, buffer) == 0)
            {
                return;
            }

            offset = _producers.Record(buffer.WrittenSpan);
        }
    }
}
