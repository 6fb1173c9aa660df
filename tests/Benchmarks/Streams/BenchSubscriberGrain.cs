using System.Buffers.Binary;
using System.Diagnostics;
using Orleans;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orlog.Benchmarks.Streams;

public interface IBenchSubscriberGrain : IGrainWithStringKey
{
}

/// <summary>Subscribed implicitly to every stream of the benchmark's topic: hands each event to <see cref="DeliveryProbe"/>.</summary>
[ImplicitStreamSubscription(StreamDeliveryBenchmark.Topic)]
public sealed class BenchSubscriberGrain : Grain, IBenchSubscriberGrain, IStreamSubscriptionObserver, IAsyncObserver<byte[]>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<byte[]>().ResumeAsync(this);

    public Task OnNextAsync(byte[] item, StreamSequenceToken? token = null)
    {
        DeliveryProbe.Record(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

/// <summary>
/// Counts delivered events and keeps each one's latency: the event's value starts with the
/// <see cref="Stopwatch"/> timestamp taken when it was produced (the silo runs in the benchmark's process).
/// </summary>
internal static class DeliveryProbe
{
    private static long[] s_latencies = [];
    private static long s_count;

    public static long Count => Volatile.Read(ref s_count);

    public static void Reset(int capacity)
    {
        s_latencies = new long[capacity];
        Volatile.Write(ref s_count, 0);
    }

    public static void Record(ReadOnlySpan<byte> value)
    {
        var latency = Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(value);
        var index = Interlocked.Increment(ref s_count) - 1;
        if (index < s_latencies.Length)
        {
            s_latencies[index] = latency;
        }
    }

    /// <summary>The latencies recorded, in Stopwatch ticks, in delivery order.</summary>
    public static long[] Latencies() => s_latencies[..(int)Math.Min(Count, s_latencies.Length)];
}
