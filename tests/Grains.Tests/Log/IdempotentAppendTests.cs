using Orlog.Errors;
using Xunit;

namespace Orlog.Log;

/// <summary>The broker side of idempotence: a batch an idempotent producer sends twice is stored once.</summary>
public sealed class IdempotentAppendTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ARetriedBatch_IsNotStoredAgain_AndGetsItsFirstOffsets()
    {
        await using var log = Open();
        log.Append(TestBatches.Idempotent(9, 0, 0, 3));
        var first = log.Append(TestBatches.Idempotent(9, 0, 3, 2));

        var retry = log.Append(TestBatches.Idempotent(9, 0, 3, 2));

        Assert.True(retry.Duplicate);
        Assert.Equal((first.FirstOffset, first.LastOffset), (retry.FirstOffset, retry.LastOffset));
        Assert.Equal(5, log.LogEndOffset);
    }

    [Fact]
    public async Task AGapInTheSequence_OrAnOlderEpoch_IsRefused_StoringNothing()
    {
        await using var log = Open();
        log.Append(TestBatches.Idempotent(9, 1, 0, 3));

        var gap = Assert.Throws<OrlogException>(() => log.Append(TestBatches.Idempotent(9, 1, 5, 1)));
        var stale = Assert.Throws<OrlogException>(() => log.Append(TestBatches.Idempotent(9, 0, 3, 1)));
        var newEpoch = log.Append(TestBatches.Idempotent(9, 2, 0, 1));

        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Code);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, stale.Code);
        Assert.Equal(3, newEpoch.FirstOffset);
        Assert.Equal(4, log.LogEndOffset);
    }

    [Fact]
    public async Task AReopenedLog_StillRecognisesARetry()
    {
        await using (var log = Open())
        {
            log.Append(TestBatches.Idempotent(9, 0, 0, 3));
        }

        await using var reopened = Open();
        var retry = reopened.Append(TestBatches.Idempotent(9, 0, 0, 3));

        Assert.True(retry.Duplicate);
        Assert.Equal((0, 2), (retry.FirstOffset, retry.LastOffset));
        Assert.Equal(1, reopened.ProducerCount);
    }

    [Fact]
    public async Task AFollowerLearnsTheProducers_SoARetryAfterFailoverIsRecognised()
    {
        using var leaderDirectory = new TempDirectory();
        await using var leader = PartitionLog.Open(leaderDirectory.Path, new LogConfig());
        await using var follower = Open();
        leader.Append(TestBatches.Idempotent(9, 0, 0, 3));

        follower.AppendAsFollower(leader.Read(0, 1 << 20).Records.Span);
        var retry = follower.Append(TestBatches.Idempotent(9, 0, 0, 3), leaderEpoch: 1);

        Assert.True(retry.Duplicate);
        Assert.Equal(3, follower.LogEndOffset);
    }

    [Fact]
    public async Task ATruncatedBatch_IsForgotten_SoItsRetryIsStored()
    {
        await using var log = Open();
        log.Append(TestBatches.Idempotent(9, 0, 0, 2));
        log.Append(TestBatches.Idempotent(9, 0, 2, 2));

        log.TruncateTo(2);
        var again = log.Append(TestBatches.Idempotent(9, 0, 2, 2));

        Assert.False(again.Duplicate);
        Assert.Equal((2, 3), (again.FirstOffset, again.LastOffset));
    }

    [Fact]
    public async Task ARetryWhoseFirstBatchesWereStored_StoresOnlyTheRest_AndNamesEachBatchsOffset()
    {
        await using var log = Open();
        log.Append(TestBatches.Idempotent(9, 0, 0, 2));
        log.Append(TestBatches.Build(3, 10, 1_700_000_000_000));

        var retry = log.Append(TestBatches.Concat([TestBatches.Idempotent(9, 0, 0, 2), TestBatches.Idempotent(9, 0, 2, 4)]));

        Assert.False(retry.Duplicate);
        Assert.Equal((0L, 8L), (retry.FirstOffset, retry.LastOffset));
        Assert.Equal([0L, 5L], retry.BatchOffsets!);
        Assert.Equal(9, log.LogEndOffset);
        Assert.True(log.Append(TestBatches.Idempotent(9, 0, 2, 4)).Duplicate);
    }

    [Fact]
    public async Task ARetryThatSkipsASequenceAfterItsStoredBatches_IsRefused_StoringNothing()
    {
        await using var log = Open();
        log.Append(TestBatches.Idempotent(9, 0, 0, 2));

        var gap = Assert.Throws<OrlogException>(() => log.Append(TestBatches.Concat([TestBatches.Idempotent(9, 0, 0, 2), TestBatches.Idempotent(9, 0, 3, 1)])));

        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Code);
        Assert.Equal(2, log.LogEndOffset);
    }

    private PartitionLog Open() => PartitionLog.Open(_directory.Path, new LogConfig());
}
