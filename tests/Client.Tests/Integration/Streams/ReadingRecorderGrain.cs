using System.Collections.Concurrent;
using Orleans;
using Orleans.Streams;
using Orleans.Streams.Core;
using Orlog.Testing;

namespace Orlog.Client.Integration.Streams;

/// <summary>An event on the test streams: JSON <c>{"text":"..."}</c>.</summary>
[GenerateSerializer]
public sealed record Reading([property: Id(0)] string Text);

/// <summary>What a subscriber received: the event and its token's offset.</summary>
public readonly record struct Received(long Offset, string Text);

/// <summary>Receives, in order, what subscribers got; pulses <see cref="Changed"/> at every event so tests wait on it.</summary>
public sealed class ReceivedLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Received>> _byName = new(StringComparer.Ordinal);

    internal ChangeSignal Changed { get; } = new();

    public IReadOnlyList<Received> Of(string name) => _byName.TryGetValue(name, out var events) ? [.. events] : [];

    public void Add(string name, Received received)
    {
        _byName.GetOrAdd(name, _ => new ConcurrentQueue<Received>()).Enqueue(received);
        Changed.Pulse();
    }
}

public interface IReadingRecorderGrain : IGrainWithStringKey
{
}

/// <summary>Subscribed implicitly to every stream of the topic: records what it receives under its key.</summary>
[ImplicitStreamSubscription(StreamClusterFixture.Topic)]
public sealed class ReadingRecorderGrain : Grain, IReadingRecorderGrain, IStreamSubscriptionObserver, IAsyncObserver<Reading>
{
    /// <summary>Everything every recorder received, by grain key (the silo runs in the test process).</summary>
    public static ReceivedLog Log { get; } = new();

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<Reading>().ResumeAsync(this);

    public Task OnNextAsync(Reading item, StreamSequenceToken? token = null)
    {
        Log.Add(this.GetPrimaryKeyString(), new Received(token!.SequenceNumber, item.Text));
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
