using Orleans;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orlog.Samples.EventCounter;

public interface IEventCounterGrain : IGrainWithStringKey
{
    Task<long> CountAsync();
}

/// <summary>
/// One grain per stream of topic "readings" (per record key), activated by the first event: counts the
/// events it is given. The count lives in memory; a real app would keep it in grain state.
/// </summary>
[ImplicitStreamSubscription("readings")]
public sealed partial class EventCounterGrain(ILogger<EventCounterGrain> logger) : Grain, IEventCounterGrain, IStreamSubscriptionObserver, IAsyncObserver<string>
{
    private long _count;

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<string>().ResumeAsync(this);

    public Task OnNextAsync(string item, StreamSequenceToken? token = null)
    {
        _count++;
        var key = this.GetPrimaryKeyString();
        LogCounted(key, _count, item, token?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    public Task<long> CountAsync() => Task.FromResult(_count);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "readings/{Key}: {Count} events (last: {Value} at offset {Offset})")]
    private partial void LogCounted(string key, long count, string value, long offset);
}
