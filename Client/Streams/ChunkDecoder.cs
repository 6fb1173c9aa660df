using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Orlog.Errors;
using Orlog.Records;
using static Orlog.Records.RecordBatchLayout;

namespace Orlog.Streams;

/// <summary>
/// Turns the record batches of one fetch into <see cref="OrlogBatchContainer"/>s: the records of each
/// stream (key) together, in offset order, at most <c>maxEventsPerBatch</c> per container; containers
/// come out ordered by their first offset. Reused for every fetch of one partition.
/// </summary>
internal sealed class ChunkDecoder(TopicPartition partition, string provider, IOrlogStreamSerializer serializer, int maxEventsPerBatch)
{
    private readonly byte[] _topic = Encoding.UTF8.GetBytes(partition.Topic);
    private readonly byte[] _keyWithoutKey = StreamKeys.KeyForRecordsWithoutKey(partition.Partition);
    private readonly Dictionary<byte[], Group> _open = new(ByteKeyComparer.Instance);
    private readonly List<Group> _groups = [];

    /// <summary>Decodes the records of <paramref name="chunk"/> from offset <paramref name="from"/> on, of every stream or only of <paramref name="only"/>.</summary>
    /// <returns>The offset after the last record in the chunk (<paramref name="from"/> when it holds none from there).</returns>
    /// <exception cref="OrlogException">CORRUPT_MESSAGE for a batch that fails its CRC.</exception>
    public long Decode(ReadOnlySpan<byte> chunk, long from, StreamId? only, List<OrlogBatchContainer> output)
    {
        var next = from;
        var lookup = _open.GetAlternateLookup<ReadOnlySpan<byte>>();
        var onlyKey = only is { } stream ? stream.Key.Span : default;
        var position = 0;
        while (TryNextBatch(chunk, ref position, out var batch))
        {
            var header = new RecordBatchHeader(batch);
            if (header.LastOffset < from || header.IsControl)
            {
                next = Math.Max(next, header.LastOffset + 1);
                continue;
            }

            if (!RecordBatch.IsCrcValid(batch))
            {
                throw new OrlogException(ErrorCode.CorruptMessage, $"The batch at offset {header.BaseOffset} of {partition} fails its CRC-32C check.");
            }

            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                if (record.Offset < from)
                {
                    continue;
                }

                ReadOnlySpan<byte> key = record.IsKeyNull ? _keyWithoutKey : record.Key;
                if (only is not null && !key.SequenceEqual(onlyKey))
                {
                    continue;
                }

                if (!lookup.TryGetValue(key, out var group) || group.Count == maxEventsPerBatch)
                {
                    group = new Group(StreamId.Create(_topic, key));
                    _groups.Add(group);
                    lookup[key] = group;
                }

                group.Add(record);
            }

            next = Math.Max(next, header.LastOffset + 1);
        }

        foreach (var group in _groups)
        {
            output.Add(group.ToContainer(provider, serializer));
        }

        _groups.Clear();
        _open.Clear();
        return next;
    }

    private static bool TryNextBatch(ReadOnlySpan<byte> chunk, ref int position, out ReadOnlySpan<byte> batch)
    {
        batch = default;
        var remaining = chunk[position..];
        if (remaining.Length < HeaderSize)
        {
            return false;
        }

        var size = new RecordBatchHeader(remaining).SizeInBytes;
        if (size < HeaderSize || size > remaining.Length)
        {
            return false;
        }

        batch = remaining[..size];
        position += size;
        return true;
    }

    /// <summary>The records of one stream gathered for one container.</summary>
    private sealed class Group(StreamId streamId)
    {
        private readonly List<long> _offsets = [];
        private readonly List<int> _lengths = [];
        private readonly ArrayBufferWriter<byte> _data = new();

        public int Count => _offsets.Count;

        public void Add(in Record record)
        {
            _offsets.Add(record.Offset);
            if (record.IsValueNull)
            {
                _lengths.Add(-1);
                return;
            }

            _lengths.Add(record.Value.Length);
            _data.Write(record.Value);
        }

        public OrlogBatchContainer ToContainer(string provider, IOrlogStreamSerializer serializer) =>
            new(streamId, provider, [.. _offsets], [.. _lengths], _data.WrittenSpan.ToArray(), serializer);
    }

    /// <summary>Compares keys by content, and looks them up by span without copying them.</summary>
    private sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteKeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode([DisallowNull] byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
