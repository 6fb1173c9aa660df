using System.Text.Json;
using Orleans.Concurrency;
using Orlog.Partitions;
using Orlog.Records;
using Orlog.Testing;
using Orlog.Topics;
using Xunit;

namespace Orlog.Silo;

/// <summary>
/// The silo killed with SIGKILL while a segment is being copied to the cold tier (copies slowed by
/// the bandwidth limit so the kill lands inside one). After a restart the copy is redone: the
/// manifest has no hole and every entry is a finished copy, no file outside it is kept, and every
/// record reads back from offset 0 across both tiers.
/// </summary>
public sealed class TieringCrashTests
{
    private const string Topic = "ledger";
    private const int Batches = 60;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KillNine_DuringACopy_LeavesNoHoleAndNoOrphan()
    {
        var data = Directory.CreateTempSubdirectory("orlog-tier-crash-");
        var manifest = Path.Combine(data.FullName, "cold", Topic, "0", "manifest.json");
        using var files = new DataDirectoryWatcher(data.FullName);
        try
        {
            await using (var slow = new SiloProcess(data.FullName, "--Orlog:Tiering:CheckIntervalMs=100", "--Orlog:Tiering:MaxCopyBytesPerSecond=1000"))
            {
                await slow.StartAsync();
                await using var connection = await BrokerConnection.ConnectAsync(slow);
                await connection.Client.GetGrain<ITopicGrain>(Topic).CreateAsync(new TopicSpec(Topic, 1, 1, new Dictionary<string, string>
                {
                    ["segment.bytes"] = "4096",
                    ["remote.storage.enable"] = "true",
                    ["local.retention.bytes"] = "0",
                }));
                var partition = connection.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(Topic, 0));
                for (var i = 0; i < Batches; i++)
                {
                    await partition.ProduceAsync(new Immutable<byte[]>(Batch(i)), Acks.All);
                }

                // The rate limit lets the first transfer through at once and makes the next ones wait
                // their turn, so once one copy has finished the copy under way takes seconds: the kill lands inside it.
                await files.UntilAsync(() => States(manifest) is var states && states.Contains("CopyFinished") && states.Contains("CopyStarted"), () => "one copy finished and another is under way");
                await slow.KillAsync();
            }

            Assert.Contains("CopyStarted", States(manifest));
            await using var restarted = new SiloProcess(data.FullName, "--Orlog:Tiering:CheckIntervalMs=100");
            await restarted.StartAsync();
            await using var again = await BrokerConnection.ConnectAsync(restarted);
            var reopened = again.Client.GetGrain<IPartitionGrain>(PartitionKey.Format(Topic, 0));
            var end = (await reopened.ListOffsetsAsync(OffsetSpec.Latest)).Offset;
            var localLog = Path.Combine(data.FullName, "logs", $"{Topic}-0");
            await files.UntilAsync(
                () => Segments(manifest) is { Count: > 2 } s && s.All(e => e.State == "CopyFinished") && LocalSegments(localLog)[..^1].All(b => s.Any(e => e.BaseOffset == b)),
                () => $"every closed local segment is copied; manifest {States(manifest)}; local {string.Join(",", LocalSegments(localLog))}");

            var segments = Segments(manifest);
            Assert.Equal(0, segments[0].BaseOffset);
            for (var i = 1; i < segments.Count; i++)
            {
                Assert.Equal(segments[i - 1].LastOffset + 1, segments[i].BaseOffset);
            }

            var stored = Directory.GetFiles(Path.GetDirectoryName(manifest)!, "*.log").Select(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture)).Order();
            Assert.Equal(segments.Select(s => s.BaseOffset), stored);

            var offset = 0L;
            var records = 0L;
            while (offset < end)
            {
                var fetched = await reopened.FetchAsync(offset, 64 * 1024, 0, TimeSpan.Zero);
                for (var at = 0; at < fetched.Records.Length;)
                {
                    var header = new RecordBatchHeader(fetched.Records.AsSpan(at));
                    Assert.Equal(offset, header.BaseOffset);
                    records += header.NextOffset - header.BaseOffset;
                    offset = header.NextOffset;
                    at += header.SizeInBytes;
                }
            }

            Assert.Equal(end, records);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static byte[] Batch(int i)
    {
        var builder = new RecordBatchBuilder();
        for (var r = 0; r < 5; r++)
        {
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + r + i, null, new byte[100]);
        }

        return builder.Build();
    }

    private static string States(string manifest) => File.Exists(manifest) ? ReadShared(manifest) : "";

    private static List<(long BaseOffset, long LastOffset, string State)> Segments(string manifest)
    {
        if (!File.Exists(manifest))
        {
            return [];
        }

        using var json = JsonDocument.Parse(ReadShared(manifest));
        return [.. json.RootElement.GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("baseOffset").GetInt64(), s.GetProperty("lastOffset").GetInt64(), s.GetProperty("state").GetString()!))];
    }

    // The silo replaces the manifest by rename, so a read sees the old file or the new one, never a torn one.
    private static string ReadShared(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static long[] LocalSegments(string directory) =>
        [.. Directory.GetFiles(directory, "*.log").Select(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture)).Order()];

    /// <summary>Watches the silo's data directory so a test can wait for its files to change instead of polling on a timer.</summary>
    private sealed class DataDirectoryWatcher : IDisposable
    {
        private readonly ChangeSignal _changed = new();
        private readonly FileSystemWatcher _watcher;

        public DataDirectoryWatcher(string directory)
        {
            _watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName };
            _watcher.Changed += (_, _) => _changed.Pulse();
            _watcher.Created += (_, _) => _changed.Pulse();
            _watcher.Renamed += (_, _) => _changed.Pulse();
            _watcher.Deleted += (_, _) => _changed.Pulse();
            _watcher.EnableRaisingEvents = true;
        }

        public async Task UntilAsync(Func<bool> condition, Func<string> what) =>
            Assert.True(await ChangeSignal.WaitUntilAsync(condition, Deadline, _changed), $"Timed out waiting until {what()}.");

        public void Dispose() => _watcher.Dispose();
    }
}
