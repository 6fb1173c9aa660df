namespace Orlog.Log.Flush;

/// <summary>
/// Decides when appended data is forced to disk. The log calls <see cref="OnAppended"/> after
/// every append, outside its lock; the policy flushes inline, later, or never.
/// </summary>
public interface IFlushPolicy : IAsyncDisposable
{
    void OnAppended();
}
