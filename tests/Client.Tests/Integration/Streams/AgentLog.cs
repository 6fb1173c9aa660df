using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orlog.Testing;

namespace Orlog.Client.Integration.Streams;

/// <summary>
/// Which partitions the pulling agents of each silo started and stopped reading: the stream receiver's
/// start (7000) and stop (7004) events, caught by a logger provider on every silo.
/// </summary>
internal sealed class AgentLog
{
    private const int StartedEventId = 7000;
    private const int StoppedEventId = 7004;
    private readonly ConcurrentQueue<AgentEvent> _events = new();

    public ChangeSignal Changed { get; } = new();

    public IReadOnlyList<AgentEvent> All => [.. _events];

    /// <summary>A logger provider for the silo <paramref name="silo"/> that records its agents' starts and stops here.</summary>
    public ILoggerProvider RecorderFor(string silo) => new Recorder(silo, this);

    /// <summary>The silo reading each partition after <paramref name="events"/>: the one that started it and has not stopped since.</summary>
    public static Dictionary<string, string> Owners(IEnumerable<AgentEvent> events)
    {
        var reading = new Dictionary<(string Partition, string Silo), int>();
        foreach (var e in events)
        {
            reading[(e.Partition, e.Silo)] = reading.GetValueOrDefault((e.Partition, e.Silo)) + (e.Started ? 1 : -1);
        }

        return reading.Where(r => r.Value > 0).ToDictionary(r => r.Key.Partition, r => r.Key.Silo);
    }

    private void Add(AgentEvent e)
    {
        _events.Enqueue(e);
        Changed.Pulse();
    }

    private sealed class Recorder(string silo, AgentLog log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.EndsWith(".OrlogQueueReceiver", StringComparison.Ordinal) ? new ReceiverLogger(silo, log) : NullLogger.Instance;

        public void Dispose()
        {
        }
    }

    private sealed class ReceiverLogger(string silo, AgentLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id is StartedEventId or StoppedEventId && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                var started = eventId.Id == StartedEventId;
                log.Add(new AgentEvent(silo, (string)Field(fields, "Partition"), (long)Field(fields, "Offset"), started, started && (bool)Field(fields, "FromCheckpoint")));
            }
        }

        private static object Field(IReadOnlyList<KeyValuePair<string, object?>> fields, string name) =>
            fields.Single(f => f.Key == name).Value ?? throw new InvalidOperationException($"The receiver's event has no {name}.");
    }
}

/// <summary>A pulling agent of <paramref name="Silo"/> started (or stopped) reading <paramref name="Partition"/> at <paramref name="Offset"/>.</summary>
internal readonly record struct AgentEvent(string Silo, string Partition, long Offset, bool Started, bool FromCheckpoint);
