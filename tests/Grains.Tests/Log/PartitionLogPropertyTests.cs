using CsCheck;
using Xunit;
using static Orlog.Log.TestBatches;

namespace Orlog.Log;

/// <summary>
/// Random sequences of appends, reads, lookups by time, truncations, deletions, retention and
/// restarts (clean and crashed) run against a <see cref="PartitionLog"/> with tiny segments and
/// index intervals, and against an in-memory model: the list of stored batches.
/// </summary>
public sealed class PartitionLogPropertyTests
{
    private const long StartTime = 1_700_000_000_000;

    private static readonly Gen<BatchSpec> GenBatch =
        from valueSize in Gen.Int[0, 300]
        from jitters in Gen.Int[-20, 20].Array[1, 5]
        select new BatchSpec(valueSize, jitters);

    private static readonly Gen<int> GenPick = Gen.Int[0, int.MaxValue];

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (10, from batches in GenBatch.Array[1, 3] from step in Gen.Int[0, 40] select (Op)new Append(batches, step)),
        (6, from pick in GenPick from maxBytes in Gen.Int[1, 3000] select (Op)new Read(pick, maxBytes)),
        (3, GenPick.Select(pick => (Op)new FindByTimestamp(pick))),
        (2, GenPick.Select(pick => (Op)new TruncateTo(pick))),
        (2, GenPick.Select(pick => (Op)new DeleteBefore(pick))),
        (1, Gen.Const((Op)new CleanRestart())),
        (1, Gen.Const((Op)new CrashRestart())),
        (1, Gen.Const((Op)new ApplyRetention())));

    private static readonly Gen<Scenario> GenScenario =
        from segmentBytes in Gen.Int[600, 2000]
        from indexIntervalBytes in Gen.Int[0, 256]
        from retentionBytes in Gen.Int[0, 6000]
        from ops in GenOp.Array[1, 50]
        select new Scenario(segmentBytes, indexIntervalBytes, retentionBytes, ops);

    [Fact]
    public async Task RandomOperations_AgreeWithAnInMemoryModel() =>
        await GenScenario.SampleAsync(RunAsync, iter: 150, threads: 2, print: scenario => scenario.ToString());

    private static async Task RunAsync(Scenario scenario)
    {
        var config = new LogConfig
        {
            SegmentBytes = scenario.SegmentBytes,
            IndexIntervalBytes = scenario.IndexIntervalBytes,
            RetentionBytes = scenario.RetentionBytes,
            RetentionMs = -1,
        };
        await using var harness = new Harness(config);
        for (var step = 0; step < scenario.Ops.Length; step++)
        {
            try
            {
                await harness.ApplyAsync(scenario.Ops[step]);
                harness.CheckWholeLog();
            }
            catch (Exception error) when (error is not StepFailedException)
            {
                throw new StepFailedException($"Step {step} ({scenario.Ops[step]}) failed: {error.Message}", error);
            }
        }
    }

    /// <summary>A log under test, its directory (replaced at each crash) and the model it must agree with.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly LogConfig _config;
        private readonly List<TempDirectory> _directories = [new()];
        private readonly List<byte[]> _batches = [];
        private PartitionLog _log;
        private long _start;
        private long _end;
        private long _clock = StartTime;

        public Harness(LogConfig config)
        {
            _config = config;
            _log = PartitionLog.Open(_directories[0].Path, config);
        }

        public async Task ApplyAsync(Op op)
        {
            switch (op)
            {
                case Append append:
                    DoAppend(append);
                    break;
                case Read read:
                    DoRead(read);
                    break;
                case FindByTimestamp find:
                    DoFind(find);
                    break;
                case TruncateTo truncate:
                    DoTruncate(truncate);
                    break;
                case DeleteBefore delete:
                    DoDeleteBefore(delete);
                    break;
                case ApplyRetention:
                    DoRetention();
                    break;
                case CleanRestart:
                    await _log.DisposeAsync();
                    _log = PartitionLog.Open(_directories[^1].Path, _config);
                    Assert.True(_log.Recovery.CleanShutdown);
                    Assert.False(_log.Recovery.LostData);
                    Assert.Empty(_log.Recovery.Scanned);
                    break;
                case CrashRestart:
                    _directories.Add(TempDirectory.CopyOf(_directories[^1].Path));
                    await _log.DisposeAsync();
                    _log = PartitionLog.Open(_directories[^1].Path, _config);
                    Assert.False(_log.Recovery.CleanShutdown);
                    Assert.False(_log.Recovery.LostData, _log.Recovery.Describe());
                    Assert.All(_log.Recovery.Scanned, scanned => Assert.Equal(ScanStop.End, scanned.Stop));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation");
            }
        }

        /// <summary>The bounds match and a read of everything returns exactly the model's batches.</summary>
        public void CheckWholeLog()
        {
            Assert.Equal((_start, _end), (_log.LogStartOffset, _log.LogEndOffset));
            Assert.Equal(_batches, ReadAll(_log));
        }

        public async ValueTask DisposeAsync()
        {
            await _log.DisposeAsync();
            foreach (var directory in _directories)
            {
                directory.Dispose();
            }
        }

        private void DoAppend(Append append)
        {
            _clock += append.ClockStep;
            var built = append.Batches.Select(spec => Build([.. spec.Jitters.Select(j => _clock + j)], spec.ValueSize)).ToList();
            var records = append.Batches.Sum(spec => spec.Jitters.Length);
            var buffer = Concat(built);
            var info = _log.Append(buffer);
            Assert.Equal(_end, info.FirstOffset);
            Assert.Equal(_end + records - 1, info.LastOffset);
            Assert.Equal(built.Count, info.RecordBatchCount);

            // The log stamped offsets into the buffer in place: these are the batches as stored.
            var stored = Split(buffer);
            Assert.Equal(_end, BaseOffset(stored[0]));
            _batches.AddRange(stored);
            _end += records;
        }

        private void DoRead(Read read)
        {
            var offset = Pick(read.Pick, _start, _end);
            var result = _log.Read(offset, read.MaxBytes);
            Assert.Equal((_start, _end), (result.LogStartOffset, result.LogEndOffset));
            var batches = Split(result.Records.Span);
            if (offset == _end)
            {
                Assert.Empty(batches);
                return;
            }

            var first = _batches.FindIndex(batch => NextOffset(batch) > offset);
            Assert.True(first >= 0);
            Assert.NotEmpty(batches);
            Assert.True(first + batches.Count <= _batches.Count, "the read returned more batches than the log holds");
            Assert.Equal(_batches.GetRange(first, batches.Count), batches);
            if (batches.Count > 1)
            {
                Assert.InRange(batches.Sum(batch => batch.Length), 1, read.MaxBytes);
            }
        }

        private void DoFind(FindByTimestamp find)
        {
            var records = _batches.SelectMany(RecordTimestamps).Where(record => record.Offset >= _start).ToList();
            var low = records.Count > 0 ? records.Min(record => record.Timestamp) - 3 : StartTime;
            var high = records.Count > 0 ? records.Max(record => record.Timestamp) + 3 : StartTime;
            var target = Pick(find.Pick, low, high);
            var expected = records.FindIndex(record => record.Timestamp >= target);
            var found = _log.TryFindOffsetByTimestamp(target, out var actual);
            Assert.Equal(expected >= 0, found);
            if (found)
            {
                Assert.Equal(new TimestampOffset(records[expected].Timestamp, records[expected].Offset), actual);
            }
        }

        private void DoTruncate(TruncateTo truncate)
        {
            var offset = Pick(truncate.Pick, _start, _end);
            var firstRemoved = _batches.FindIndex(batch => NextOffset(batch) - 1 >= offset);
            var newEnd = firstRemoved < 0 ? _end : BaseOffset(_batches[firstRemoved]);
            Assert.Equal(newEnd, _log.TruncateTo(offset));
            if (firstRemoved >= 0)
            {
                _batches.RemoveRange(firstRemoved, _batches.Count - firstRemoved);
            }

            // Removing the batch that holds the log start leaves an empty log starting at its end.
            _end = newEnd;
            _start = Math.Min(_start, newEnd);
        }

        private void DoDeleteBefore(DeleteBefore delete)
        {
            var offset = Pick(delete.Pick, _start, _end);
            _log.DeleteBefore(offset);
            MoveStart(Math.Max(_start, offset));
        }

        private void DoRetention()
        {
            var segmentsBefore = _log.SegmentCount;
            var deleted = _log.ApplyRetention();
            Assert.Equal(segmentsBefore - deleted, _log.SegmentCount);
            var newStart = _log.LogStartOffset;
            if (deleted == 0)
            {
                Assert.Equal(_start, newStart);
                return;
            }

            // Retention removes whole segments: the log now starts where the first one left begins,
            // a batch boundary the model knows (or the end, when only an empty active segment is
            // left), unless an earlier DeleteBefore had already moved the start further.
            Assert.True(newStart >= _start, $"retention moved the log start back from {_start} to {newStart}");
            Assert.True(newStart == _start || newStart == _end || _batches.Exists(batch => BaseOffset(batch) == newStart), $"the new log start {newStart} is not a batch boundary");
            MoveStart(newStart);

            // And it stopped as soon as the log fit: one segment less would be under retention.bytes.
            var sizes = SegmentFileNames.ListBaseOffsets(_directories[^1].Path)
                .Select(baseOffset => new FileInfo(SegmentFileNames.LogPath(_directories[^1].Path, baseOffset)).Length)
                .ToList();
            Assert.Equal(_log.SegmentCount, sizes.Count);
            Assert.Equal(_log.Size, sizes.Sum());
            Assert.True(sizes.Count == 1 || _log.Size - _config.RetentionBytes < sizes[0], "retention kept a segment it should have deleted");
        }

        private void MoveStart(long start)
        {
            _start = start;
            _batches.RemoveAll(batch => NextOffset(batch) <= start);
        }

        private static long Pick(int pick, long low, long high) => low + (pick % (high - low + 1));
    }

    private sealed class StepFailedException(string message, Exception inner) : Exception(message, inner);

    private sealed record Scenario(int SegmentBytes, int IndexIntervalBytes, int RetentionBytes, Op[] Ops)
    {
        public override string ToString() =>
            $"segment.bytes={SegmentBytes} index.interval.bytes={IndexIntervalBytes} retention.bytes={RetentionBytes}: {string.Join("; ", Ops.Select(op => op.ToString()))}";
    }

    /// <param name="Jitters">One per record: its timestamp relative to the append's clock.</param>
    private sealed record BatchSpec(int ValueSize, int[] Jitters)
    {
        public override string ToString() => $"{Jitters.Length}x{ValueSize}B [{string.Join(",", Jitters)}]";
    }

    private abstract record Op;

    private sealed record Append(BatchSpec[] Batches, int ClockStep) : Op
    {
        public override string ToString() => $"Append(+{ClockStep}ms: {string.Join(" | ", Batches.Select(b => b.ToString()))})";
    }

    private sealed record Read(int Pick, int MaxBytes) : Op;

    private sealed record FindByTimestamp(int Pick) : Op;

    private sealed record TruncateTo(int Pick) : Op;

    private sealed record DeleteBefore(int Pick) : Op;

    private sealed record CleanRestart : Op;

    private sealed record CrashRestart : Op;

    private sealed record ApplyRetention : Op;
}
