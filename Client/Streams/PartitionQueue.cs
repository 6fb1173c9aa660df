using Orleans.Providers.Streams.Common;
using Orleans.Streams;
using Orlog.Client;

namespace Orlog.Streams;

/// <summary>
/// One queue of the provider on the silo whose pulling agent owns it: the partition, where its
/// receiver reads next, and the wake-ups its cache's cursors ask for. The receiver and the cache of
/// a queue share it; both run on the pulling agent's scheduler, one turn at a time.
/// </summary>
internal sealed class PartitionQueue(QueueId id, TopicPartition partition, string provider, OrlogStreamOptions options, IFetchClient fetch)
{
    private readonly List<IBatchContainer> _wakeUps = [];
    private TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueueId Id { get; } = id;

    public TopicPartition Partition { get; } = partition;

    public string Provider { get; } = provider;

    public OrlogStreamOptions Options { get; } = options;

    public IFetchClient Fetch { get; } = fetch;

    /// <summary>The next offset the receiver reads: everything below it has been handed to the cache.</summary>
    public long ReadPosition { get; set; }

    /// <summary>Where the receiver started reading; the cache holds nothing older.</summary>
    public long StartPosition { get; private set; } = long.MaxValue;

    /// <summary>Whether the receiver knows where to read (its checkpoint is loaded).</summary>
    public bool Started => StartPosition != long.MaxValue;

    /// <summary>The queue's cache, once the agent has created it.</summary>
    public OrlogQueueCache? Cache { get; set; }

    public void Start(long position)
    {
        StartPosition = position;
        ReadPosition = position;
    }

    /// <summary>Completes when a cursor asks to be woken; the receiver stops waiting for records then.</summary>
    public Task Woken => _woken.Task;

    /// <summary>
    /// A cursor reading older records from the log has some ready: the receiver hands the agent a
    /// marker on that stream, which makes it run the stream's idle cursors again.
    /// </summary>
    public void WakeUp(StreamId streamId, long offset)
    {
        _wakeUps.Add(new WakeUpMarker(streamId, offset));
        _woken.TrySetResult();
    }

    /// <summary>Moves the pending wake-up markers to <paramref name="output"/>.</summary>
    public void TakeWakeUps(List<IBatchContainer> output)
    {
        output.AddRange(_wakeUps);
        _wakeUps.Clear();
        if (_woken.Task.IsCompleted)
        {
            _woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public ChunkDecoder NewDecoder() => new(Partition, Provider, Options.Serializer, Options.MaxEventsPerDelivery);

    /// <summary>Tells the pulling agent to look at a stream's cursors again; it carries no events and the cache drops it.</summary>
    private sealed class WakeUpMarker(StreamId streamId, long offset) : IBatchContainer
    {
        public StreamId StreamId { get; } = streamId;

        public StreamSequenceToken SequenceToken { get; } = new EventSequenceTokenV2(offset);

        public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() => [];

        public bool ImportRequestContext() => false;
    }
}
