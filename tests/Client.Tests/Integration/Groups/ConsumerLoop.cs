using System.Collections.Concurrent;
using Orlog.Testing;

namespace Orlog.Client.Integration.Groups;

/// <summary>
/// Runs a subscribed consumer on its own thread, as an app would, and records what the group did to
/// it (assigned, revoked, lost) and what it consumed; tests read the records and wait on conditions.
/// </summary>
internal sealed class ConsumerLoop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    private readonly Lock _consumerGate = new();
    private readonly HashSet<TopicPartition> _assignment = [];
    private volatile bool _closeOnStop = true;
    private bool _disposed;

    public ConsumerLoop(string name, Func<ConsumerHandlers<string, string>, IConsumer<string, string>> build, string topic)
    {
        Name = name;
        Consumer = build(new ConsumerHandlers<string, string>(
            (_, added) => Record(() => _assignment.UnionWith(added), Assigned, added),
            (_, revoked) => Record(() => _assignment.ExceptWith(revoked.Select(r => r.TopicPartition)), Revoked, [.. revoked.Select(r => r.TopicPartition)]),
            (_, lost) => Record(() => _assignment.ExceptWith(lost), Lost, lost),
            (_, error) => Enqueue(Errors, error)));
        Consumer.Subscribe(topic);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public string Name { get; }

    public IConsumer<string, string> Consumer { get; }

    public ConcurrentQueue<IReadOnlyList<TopicPartition>> Assigned { get; } = new();

    public ConcurrentQueue<IReadOnlyList<TopicPartition>> Revoked { get; } = new();

    public ConcurrentQueue<IReadOnlyList<TopicPartition>> Lost { get; } = new();

    public ConcurrentQueue<Exception> Errors { get; } = new();

    public ConcurrentQueue<ConsumeResult<string, string>> Consumed { get; } = new();

    /// <summary>Pulsed whenever the assignment changes, a record is consumed or an error is seen.</summary>
    public ChangeSignal Changed { get; } = new();

    /// <summary>The partitions it holds now, as its callbacks told.</summary>
    public IReadOnlySet<TopicPartition> Assignment
    {
        get
        {
            lock (_lock)
            {
                return new HashSet<TopicPartition>(_assignment);
            }
        }
    }

    /// <summary>Changes the subscription between two polls.</summary>
    public void Resubscribe(IEnumerable<string> topics)
    {
        lock (_consumerGate)
        {
            Consumer.Subscribe(topics);
        }
    }

    /// <summary>Stops the loop without closing the consumer (its process "dies"; pair with a cut connection).</summary>
    public void Abandon()
    {
        _closeOnStop = false;
        _stop.Cancel();
        _thread.Join();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Record(Action change, ConcurrentQueue<IReadOnlyList<TopicPartition>> log, IReadOnlyList<TopicPartition> partitions)
    {
        lock (_lock)
        {
            change();
        }

        Enqueue(log, partitions);
    }

    private void Enqueue<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        Changed.Pulse();
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    ConsumeResult<string, string>? result;
                    lock (_consumerGate)
                    {
                        result = Consumer.Consume(TimeSpan.FromMilliseconds(50));
                    }

                    if (result is not null)
                    {
                        Enqueue(Consumed, result);
                    }
                }
                catch (Exception e) when (e is Orlog.Errors.OrlogException)
                {
                    Enqueue(Errors, e);
                }
            }
        }
        finally
        {
            if (_closeOnStop)
            {
                Consumer.Close();
            }
        }
    }
}
