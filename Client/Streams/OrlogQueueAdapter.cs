using Orleans.Streams;
using Orlog.Client;

namespace Orlog.Streams;

/// <summary>
/// Publishing produces one record per event to the stream's topic (its namespace), keyed by the
/// stream's key, and completes when the records are acknowledged; receivers read partitions.
/// </summary>
internal sealed class OrlogQueueAdapter(string name, OrlogStreamOptions options, IProducer<byte[], byte[]> producer, Func<QueueId, IQueueAdapterReceiver> receivers) : IQueueAdapter
{
    public string Name { get; } = name;

    public bool IsRewindable => true;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (token is not null)
        {
            throw new ArgumentException("An Orlog stream gives every event its offset; publish without a sequence token.", nameof(token));
        }

        var topic = StreamKeys.TopicOf(streamId, options.Topics);
        var key = streamId.Key.ToArray();
        var sends = new List<Task>();
        foreach (var item in events)
        {
            sends.Add(producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = key, Value = options.Serializer.Serialize(item) }));
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => receivers(queueId);
}
