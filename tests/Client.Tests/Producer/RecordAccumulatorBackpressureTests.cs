using Microsoft.Extensions.Time.Testing;
using Orlog.Errors;
using Xunit;

namespace Orlog.Client;

/// <summary>buffer.memory: appends reserve bytes, wait while the buffer is full, and fail after max.block.ms.</summary>
public class RecordAccumulatorBackpressureTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeBatchSender _sender = new();

    // 1024 bytes of buffer: two records of 400-byte values (~441 bytes estimated each) fit, a third does not.
    private RecordAccumulator Accumulator() => new(
        new ProducerConfig
        {
            LingerMs = 5,
            BatchSize = 1024,
            MaxRequestSize = 1024,
            BufferMemory = 1024,
            MaxBlockMs = 1000,
        },
        _sender,
        _time);

    private static Task AppendAsync(RecordAccumulator accumulator, TestDelivery delivery) =>
        accumulator.AppendAsync(P0, 0, null, new byte[400], null, delivery, TestContext.Current.CancellationToken).AsTask();

    [Fact]
    public async Task FullBuffer_BlocksAnAppend_ThenFailsItAfterMaxBlockMs()
    {
        var accumulator = Accumulator();
        Assert.True(AppendAsync(accumulator, new TestDelivery()).IsCompletedSuccessfully);
        Assert.True(AppendAsync(accumulator, new TestDelivery()).IsCompletedSuccessfully);

        var blocked = AppendAsync(accumulator, new TestDelivery());

        Assert.False(blocked.IsCompleted);
        Assert.Equal(1, accumulator.Memory.WaiterCount);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(blocked.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<OrlogException>(() => blocked.Soon());
        Assert.Equal(ErrorCode.RequestTimedOut, error.Code);
        Assert.Contains("BufferMemory", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBlockMs", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, accumulator.Memory.WaiterCount);
    }

    [Fact]
    public async Task BlockedAppend_Proceeds_WhenABatchIsAcknowledged()
    {
        var accumulator = Accumulator();
        var first = new TestDelivery();
        Assert.True(AppendAsync(accumulator, first).IsCompletedSuccessfully);
        Assert.True(AppendAsync(accumulator, new TestDelivery()).IsCompletedSuccessfully);
        var third = new TestDelivery();
        var blocked = AppendAsync(accumulator, third);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        var request = Assert.Single(_sender.Requests);
        Assert.False(blocked.IsCompleted);

        request.Succeed(0);

        await blocked.Soon();
        await first.Outcome.Soon();
        _time.Advance(TimeSpan.FromMilliseconds(5));
        _sender.Requests[1].Succeed(2);
        Assert.Equal(2, (await third.Outcome.Soon()).Offset);
    }

    [Fact]
    public async Task FailedBatch_GivesItsMemoryBack()
    {
        var accumulator = Accumulator();
        var delivery = new TestDelivery();
        Assert.True(AppendAsync(accumulator, delivery).IsCompletedSuccessfully);
        Assert.True(accumulator.Memory.Available < 1024);
        _time.Advance(TimeSpan.FromMilliseconds(5));

        _sender.Requests[0].Fail(ErrorCode.CorruptMessage);

        await Assert.ThrowsAsync<OrlogException>(() => delivery.Outcome.Soon());
        Assert.Equal(1024, accumulator.Memory.Available);
    }

    [Fact]
    public void MemoryIsGrantedInArrivalOrder()
    {
        var memory = new BufferMemory(100, _time);
        Assert.True(memory.ReserveAsync(100, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
        var big = memory.ReserveAsync(80, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken).AsTask();
        var small = memory.ReserveAsync(10, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken).AsTask();

        memory.Release(50);

        // The small one would fit, but it queued behind the big one.
        Assert.False(small.IsCompleted);
        memory.Release(50);
        Assert.True(big.IsCompletedSuccessfully);
        Assert.True(small.IsCompletedSuccessfully);
        Assert.Equal(10, memory.Available);
    }

    [Fact]
    public async Task CancelledWait_LeavesTheQueue()
    {
        var memory = new BufferMemory(100, _time);
        Assert.True(memory.ReserveAsync(100, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
        using var cancel = new CancellationTokenSource();
        var waiting = memory.ReserveAsync(10, TimeSpan.FromSeconds(1), cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, memory.WaiterCount);
        memory.Release(100);
        Assert.Equal(100, memory.Available);
    }

    [Fact]
    public void RecordLargerThanTheBuffer_FailsAtOnce()
    {
        var memory = new BufferMemory(100, _time);

        var error = Assert.Throws<OrlogException>(() => { _ = memory.ReserveAsync(101, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken).AsTask(); });

        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
    }
}
