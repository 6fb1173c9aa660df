namespace Orlog.Tiering;

/// <summary>
/// A small thread-safe least-recently-used cache of values made on demand. A value whose making
/// failed (a faulted task) is dropped, so the next caller makes it again.
/// </summary>
internal sealed class LruCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();

    public TValue GetOrAdd(TKey key, Func<TValue> make)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node) && !(node.Value.Value is Task { IsFaulted: true } or Task { IsCanceled: true }))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.Value;
            }

            if (node is not null)
            {
                _order.Remove(node);
                _entries.Remove(key);
            }

            var value = make();
            _entries[key] = _order.AddFirst((key, value));
            while (_entries.Count > capacity && _order.Last is { } last)
            {
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }

            return value;
        }
    }
}
