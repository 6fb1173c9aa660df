using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace Orlog.Streams;

/// <summary>
/// Events of one stream read from one partition, in offset order: their offsets and values in one
/// buffer. An event's sequence token is its record's offset. The batch's token is its first offset,
/// with the span of offsets it covers as event index: a batch read again with other boundaries (after
/// its partition moved to another silo) is then a new batch to the subscriber's duplicate check, and
/// a cursor started at a delivered batch's token can step over exactly that batch.
/// </summary>
/// <remarks>
/// Values stay bytes until a subscriber takes them: <see cref="GetEvents{T}"/> deserializes with the
/// provider's <see cref="IOrlogStreamSerializer"/> into the subscriber's type. A batch sent to another
/// silo finds the serializer there by the provider's name when it is deserialized.
/// </remarks>
[GenerateSerializer]
[Alias("orlog.stream-batch")]
[SerializationCallbacks(typeof(OnDeserializedCallbacks))]
public sealed class OrlogBatchContainer : IBatchContainer, IOnDeserialized
{
    internal OrlogBatchContainer(StreamId streamId, string provider, long[] offsets, int[] lengths, byte[] data, IOrlogStreamSerializer serializer)
    {
        StreamId = streamId;
        Provider = provider;
        Offsets = offsets;
        Lengths = lengths;
        Data = data;
        _serializer = serializer;
    }

    [NonSerialized]
    private IOrlogStreamSerializer _serializer;

    [Id(0)]
    public StreamId StreamId { get; private set; }

    /// <summary>The stream provider that read it (its serializer turns the values into events).</summary>
    [Id(1)]
    public string Provider { get; private set; }

    /// <summary>The offset of each event's record.</summary>
    [Id(2)]
    public long[] Offsets { get; private set; }

    /// <summary>The length of each event's value in <see cref="Data"/>; -1 for a record without a value.</summary>
    [Id(3)]
    public int[] Lengths { get; private set; }

    /// <summary>The values, one after the other.</summary>
    [Id(4)]
    public byte[] Data { get; private set; }

    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(FirstOffset, (int)Math.Min(LastOffset - FirstOffset, int.MaxValue));

    public long FirstOffset => Offsets[0];

    public long LastOffset => Offsets[^1];

    public int Count => Offsets.Length;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var position = 0;
        for (var i = 0; i < Offsets.Length; i++)
        {
            var length = Lengths[i];
            var isNull = length < 0;
            var item = _serializer.Deserialize<T>(isNull ? [] : Data.AsSpan(position, length), isNull);
            position += Math.Max(length, 0);
            yield return Tuple.Create(item, (StreamSequenceToken)new EventSequenceTokenV2(Offsets[i]));
        }
    }

    public bool ImportRequestContext() => false;

    /// <summary>The events from <paramref name="offset"/> on (itself when all are); null when none is.</summary>
    internal OrlogBatchContainer? From(long offset)
    {
        if (FirstOffset >= offset)
        {
            return this;
        }

        var first = Array.FindIndex(Offsets, o => o >= offset);
        if (first < 0)
        {
            return null;
        }

        var skipped = 0;
        for (var i = 0; i < first; i++)
        {
            skipped += Math.Max(Lengths[i], 0);
        }

        return new OrlogBatchContainer(StreamId, Provider, Offsets[first..], Lengths[first..], Data[skipped..], _serializer);
    }

    /// <summary>The events up to <paramref name="offset"/> (itself when all are); null when none is.</summary>
    internal OrlogBatchContainer? UpTo(long offset)
    {
        if (LastOffset <= offset)
        {
            return this;
        }

        var count = Array.FindLastIndex(Offsets, o => o <= offset) + 1;
        if (count == 0)
        {
            return null;
        }

        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            kept += Math.Max(Lengths[i], 0);
        }

        return new OrlogBatchContainer(StreamId, Provider, Offsets[..count], Lengths[..count], Data[..kept], _serializer);
    }

    void IOnDeserialized.OnDeserialized(DeserializationContext context) =>
        _serializer = context.ServiceProvider.GetService<IOptionsMonitor<OrlogStreamOptions>>()?.Get(Provider).Serializer ?? OrlogStreamSerializers.Json;

    public override string ToString() => $"{StreamId} [{FirstOffset}..{LastOffset}] ({Count} events)";
}
