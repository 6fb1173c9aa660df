namespace Orlog.Log.Flush;

/// <summary>What a flush policy drives: the log it belongs to.</summary>
public interface IFlushable
{
    /// <summary>fsyncs everything appended so far and advances the durable mark.</summary>
    void Flush();

    /// <summary>Advances the durable mark to the log end without an fsync (durability left to the OS).</summary>
    void MarkDurableWithoutFlush();
}
