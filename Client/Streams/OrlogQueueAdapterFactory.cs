using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Streams;
using Orlog.Client;

namespace Orlog.Streams;

/// <summary>
/// Builds the provider's parts: the adapter (publishing through an Orlog producer), the queue mapper
/// (the partitions of the provider's topics), and per queue a cache and a receiver sharing a <see cref="PartitionQueue"/>.
/// </summary>
/// <remarks>
/// On a silo the adapter is created once the silo is active (the provider's init stage is moved there),
/// because it looks up the topics, creating missing ones, to know the partitions; an Orleans client only publishes.
/// </remarks>
public sealed class OrlogQueueAdapterFactory : IQueueAdapterFactory, IQueueAdapterCache, IAsyncDisposable
{
    private readonly string _name;
    private readonly OrlogStreamOptions _options;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly bool _readsQueues;
    private readonly ConcurrentDictionary<QueueId, PartitionQueue> _queues = new();
    private OrlogClient? _client;
    private IProducer<byte[], byte[]>? _producer;
    private OrlogStreamQueueMapper? _mapper;
    private GroupCheckpoints? _checkpoints;
    private StreamTopics? _topics;

    private OrlogQueueAdapterFactory(string name, OrlogStreamOptions options, IGrainFactory grains, TimeProvider time, ILoggerFactory loggers, bool readsQueues)
    {
        _name = name;
        _options = options;
        _grains = grains;
        _time = time;
        _loggers = loggers;
        _readsQueues = readsQueues;
    }

    /// <summary>The factory of the provider <paramref name="name"/> on a silo (it reads partitions).</summary>
    public static OrlogQueueAdapterFactory CreateForSilo(IServiceProvider services, string name) => Create(services, name, readsQueues: true);

    /// <summary>The factory of the provider <paramref name="name"/> on an Orleans client (it only publishes).</summary>
    public static OrlogQueueAdapterFactory CreateForClient(IServiceProvider services, string name) => Create(services, name, readsQueues: false);

    public async Task<IQueueAdapter> CreateAdapter()
    {
        _options.Validate();
        _client = _options.Cluster is { } cluster ? new OrlogClient(cluster) : new OrlogClient(_grains);
        await _client.ConnectAsync().ConfigureAwait(false);
        if (_readsQueues)
        {
            _topics = new StreamTopics(_name, _options, _client, _loggers.CreateLogger<StreamTopics>());
            _mapper = new OrlogStreamQueueMapper(await _topics.PartitionCountsAsync().ConfigureAwait(false));
            _checkpoints = new GroupCheckpoints(_client, _name);
        }

        _producer = new ProducerBuilder<byte[], byte[]>(_options.Producer).SetClient(_client).Build();
        return new OrlogQueueAdapter(_name, _options, _producer, CreateReceiver);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => this;

    public IStreamQueueMapper GetStreamQueueMapper() =>
        _mapper ?? throw new InvalidOperationException($"The queues of stream provider '{_name}' are known once its adapter has been created, on a silo.");

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    /// <summary>A new cache for a queue the agent takes on; its receiver is created next and shares its state.</summary>
    public IQueueCache CreateQueueCache(QueueId queueId)
    {
        var queue = new PartitionQueue(queueId, OrlogStreamQueueMapper.PartitionOf(queueId), _name, _options, new GrainFetchClient(Client));
        _queues[queueId] = queue;
        return new OrlogQueueCache(queue);
    }

    public async ValueTask DisposeAsync()
    {
        if (_producer is not null)
        {
            await _producer.DisposeAsync().ConfigureAwait(false);
        }

        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private OrlogClient Client => _client ?? throw new InvalidOperationException($"Stream provider '{_name}' has not created its adapter yet.");

    private static OrlogQueueAdapterFactory Create(IServiceProvider services, string name, bool readsQueues) =>
        new(
            name,
            services.GetRequiredService<IOptionsMonitor<OrlogStreamOptions>>().Get(name),
            services.GetRequiredService<IGrainFactory>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>(),
            readsQueues);

    private OrlogQueueReceiver CreateReceiver(QueueId queueId)
    {
        var queue = _queues.TryGetValue(queueId, out var created)
            ? created
            : throw new InvalidOperationException($"Queue {queueId} of stream provider '{_name}' has no cache; the agent creates the cache first.");
        return new OrlogQueueReceiver(queue, _checkpoints!, _topics!, _time, _loggers.CreateLogger<OrlogQueueReceiver>());
    }
}
