namespace Orlog.Records;

/// <summary>Walks the headers of one record; usable with <c>foreach</c>.</summary>
public ref struct RecordHeaderEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private int _left;

    internal RecordHeaderEnumerator(ReadOnlySpan<byte> headers, int count)
    {
        _remaining = headers;
        _left = count;
    }

    public RecordHeaderView Current { get; private set; }

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_left == 0)
        {
            return false;
        }

        Current = RecordFormat.ReadHeader(ref _remaining);
        _left--;
        return true;
    }
}
