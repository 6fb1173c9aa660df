using System.Collections;
using System.Text;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>The headers of a message, in order; a key may repeat, as in Kafka.</summary>
/// <remarks>The producer hands this list to the batch builder as it is, so attaching headers costs no copy.</remarks>
public sealed class Headers : IReadOnlyList<RecordHeader>
{
    private readonly List<RecordHeader> _headers = [];

    public int Count => _headers.Count;

    public RecordHeader this[int index] => _headers[index];

    public void Add(string key, byte[]? value)
    {
        // Spelled out: a null array would otherwise convert to an empty, not a null, ReadOnlyMemory.
        _headers.Add(new RecordHeader(key, value is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(value)));
    }

    public void Add(string key, string? value) => Add(key, value is null ? null : Encoding.UTF8.GetBytes(value));

    public void Add(RecordHeader header) => _headers.Add(header);

    /// <summary>Removes every header named <paramref name="key"/>.</summary>
    public void Remove(string key) => _headers.RemoveAll(h => h.Key == key);

    /// <summary>The value of the last header named <paramref name="key"/>.</summary>
    /// <returns>False when there is none; <paramref name="value"/> is null for a header without a value.</returns>
    public bool TryGetLastBytes(string key, out ReadOnlyMemory<byte>? value)
    {
        for (var i = _headers.Count - 1; i >= 0; i--)
        {
            if (_headers[i].Key == key)
            {
                value = _headers[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<RecordHeader> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
