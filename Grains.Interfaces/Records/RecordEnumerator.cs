using Orlog.Errors;

namespace Orlog.Records;

/// <summary>
/// Walks the records of one batch, decoding each as it is reached; usable with <c>foreach</c>.
/// Refuses, with CORRUPT_MESSAGE, a records section holding more or fewer records than the
/// header's recordsCount.
/// </summary>
public ref struct RecordEnumerator
{
    private readonly RecordContext _context;
    private readonly int _count;
    private ReadOnlySpan<byte> _remaining;
    private int _index;

    internal RecordEnumerator(ReadOnlySpan<byte> records, int count, RecordContext context)
    {
        _remaining = records;
        _count = count;
        _context = context;
    }

    public Record Current { get; private set; }

    public readonly RecordEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_index == _count)
        {
            if (!_remaining.IsEmpty)
            {
                throw new OrlogException(
                    ErrorCode.CorruptMessage,
                    $"Malformed record data: {_remaining.Length} bytes follow the {_count} records the batch header declares.");
            }

            return false;
        }

        if (_remaining.IsEmpty)
        {
            throw new OrlogException(
                ErrorCode.CorruptMessage,
                $"Malformed record data: the batch header declares {_count} records but the batch holds {_index}.");
        }

        Current = RecordFormat.ReadRecord(ref _remaining, _context, _index);
        _index++;
        return true;
    }
}
