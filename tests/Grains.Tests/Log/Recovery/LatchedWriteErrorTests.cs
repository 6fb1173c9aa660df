using Orlog.Errors;
using Orlog.Log.Files;
using Xunit;
using static Orlog.Log.TestBatches;
using static Orlog.Log.Recovery.RecoveryScenario;

namespace Orlog.Log.Recovery;

/// <summary>A write or fsync that fails latches the log: later appends fail fast, reopening recovers the whole batches.</summary>
public sealed class LatchedWriteErrorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(100)]
    public async Task TornWrite_LatchesTheLog_AndReopeningKeepsTheWholeBatches(int bytesWritten)
    {
        using var directory = new TempDirectory();
        var files = new List<FaultyLogFile>();
        var options = new PartitionLogOptions { Files = FaultyLogFile.Factory(new FileHandleCache(), files) };
        var log = PartitionLog.Open(directory.Path, OneSegment, options);
        byte[][] kept;
        try
        {
            kept = [.. AppendBatches(log, count: 2)];
            var file = Assert.Single(files);
            var goodLength = file.Length;
            file.TearNextWrite(bytesWritten);

            var failed = Assert.Throws<OrlogException>(() => log.Append(Build(RecordsPerBatch, 40, Timestamp + 100)));
            Assert.Equal(ErrorCode.KafkaStorageError, failed.Code);
            Assert.IsType<IOException>(failed.InnerException);
            Assert.Equal(goodLength + bytesWritten, file.Length);
            Assert.Equal(6, log.LogEndOffset);

            // Latched: later appends fail at once and never reach the file, even once the disk is healthy.
            file.Heal();
            var writes = file.Writes;
            for (var i = 0; i < 3; i++)
            {
                var again = Assert.Throws<OrlogException>(() => log.Append(Build(1, 5, Timestamp + 200)));
                Assert.Equal(ErrorCode.KafkaStorageError, again.Code);
            }

            Assert.Equal(writes, file.Writes);
            Assert.Equal(goodLength + bytesWritten, file.Length);
            var durability = await Assert.ThrowsAsync<OrlogException>(() => log.Durability.WaitAsync(5, TestContext.Current.CancellationToken).AsTask());
            Assert.Equal(ErrorCode.KafkaStorageError, durability.Code);
            Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<OrlogException>(() => log.Flush()).Code);

            // What was stored before the failure can still be read.
            Assert.Equal(kept, ReadAll(log));
            Assert.Equal(kept[1], Assert.Single(Split(log.Read(4, 1).Records.Span)));
        }
        finally
        {
            await log.DisposeAsync();
        }

        var reopened = PartitionLog.Open(directory.Path, OneSegment);
        try
        {
            Assert.False(reopened.Recovery.CleanShutdown);
            Assert.Equal(bytesWritten > 0, reopened.Recovery.LostData);
            Assert.Equal(bytesWritten, reopened.Recovery.BytesTruncated);
            Assert.Equal(6, reopened.LogEndOffset);
            Assert.Equal(kept, ReadAll(reopened));
            Assert.Equal(6, reopened.Append(Build(1, 5, Timestamp + 300)).FirstOffset);
        }
        finally
        {
            await reopened.DisposeAsync();
        }
    }

    [Fact]
    public async Task FailedFsync_UnderEveryBatchFlush_LatchesTheLog()
    {
        using var directory = new TempDirectory();
        var files = new List<FaultyLogFile>();
        var options = new PartitionLogOptions { Files = FaultyLogFile.Factory(new FileHandleCache(), files) };
        var config = OneSegment with { FlushMode = FlushMode.EveryBatch };
        var log = PartitionLog.Open(directory.Path, config, options);
        byte[] first;
        try
        {
            first = AppendBatches(log, count: 1)[0];
            var file = Assert.Single(files);
            Assert.Equal(1, file.Flushes);
            await log.Durability.WaitAsync(2, TestContext.Current.CancellationToken);
            file.FailFlush = true;

            var failed = Assert.Throws<OrlogException>(() => log.Append(Build(RecordsPerBatch, 40, Timestamp + 100)));
            Assert.Equal(ErrorCode.KafkaStorageError, failed.Code);
            var durability = await Assert.ThrowsAsync<OrlogException>(() => log.Durability.WaitAsync(5, TestContext.Current.CancellationToken).AsTask());
            Assert.Equal(ErrorCode.KafkaStorageError, durability.Code);

            file.Heal();
            var (writes, length) = (file.Writes, file.Length);
            var again = Assert.Throws<OrlogException>(() => log.Append(Build(1, 5, Timestamp + 200)));
            Assert.Equal(ErrorCode.KafkaStorageError, again.Code);
            Assert.Equal((writes, length), (file.Writes, file.Length));
            Assert.Equal(first, ReadAll(log)[0]);
        }
        finally
        {
            await log.DisposeAsync();
        }

        // The second batch reached the page cache but was never acknowledged as durable: recovery
        // may keep it or not, but what it keeps is whole batches from the start.
        var reopened = PartitionLog.Open(directory.Path, config);
        try
        {
            Assert.False(reopened.Recovery.CleanShutdown);
            var batches = ReadAll(reopened);
            Assert.InRange(batches.Count, 1, 2);
            Assert.Equal(first, batches[0]);
        }
        finally
        {
            await reopened.DisposeAsync();
        }
    }
}
