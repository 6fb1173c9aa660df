using Orlog.Errors;
using Xunit;

namespace Orlog.Log.Flush;

public class DurabilityTrackerTests
{
    [Fact]
    public async Task WaitAsync_CompletesOnlyOnceTheOffsetIsCovered()
    {
        var tracker = new DurabilityTracker(5);
        Assert.True(tracker.WaitAsync(4, TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);

        var wait = tracker.WaitAsync(9, TestContext.Current.CancellationToken).AsTask();
        tracker.Advance(8);
        Assert.False(wait.IsCompleted);

        tracker.Advance(10);
        await wait.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(10, tracker.DurableEndOffset);
    }

    [Fact]
    public async Task Fail_FaultsCurrentAndLaterWaiters()
    {
        var tracker = new DurabilityTracker(0);
        var wait = tracker.WaitAsync(3, TestContext.Current.CancellationToken).AsTask();

        tracker.Fail(new OrlogException(ErrorCode.KafkaStorageError, "disk gone"));

        Assert.Equal(ErrorCode.KafkaStorageError, (await Assert.ThrowsAsync<OrlogException>(() => wait)).Code);
        await Assert.ThrowsAsync<OrlogException>(() => tracker.WaitAsync(0, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task WaitAsync_HonoursCancellation()
    {
        var tracker = new DurabilityTracker(0);
        using var cancel = new CancellationTokenSource();
        var wait = tracker.WaitAsync(1, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void Advance_NeverMovesBack_ButResetDoes()
    {
        var tracker = new DurabilityTracker(10);
        tracker.Advance(5);
        Assert.Equal(10, tracker.DurableEndOffset);

        tracker.Reset(7);
        Assert.Equal(7, tracker.DurableEndOffset);
    }
}
