using Orlog.Groups;
using Orlog.Topics;
using Xunit;

namespace Orlog.Silo;

/// <summary>A silo process configured with <c>Orlog:Metadata:Provider=AzureBlob</c> (Azurite): metadata lives in blobs and survives a restart.</summary>
public sealed class AzureBlobMetadataTests
{
    [Fact]
    public async Task TopicsAndGroupOffsets_LiveInBlobs_AndSurviveARestart()
    {
        var connectionString = Azurite.ConnectionString;
        var container = $"meta-{Guid.NewGuid():N}";
        var data = Directory.CreateTempSubdirectory("orlog-blob-meta-");
        string[] settings = ["--Orlog:Metadata:Provider=AzureBlob", $"--Orlog:Metadata:ConnectionString={connectionString}", $"--Orlog:Metadata:ContainerName={container}"];
        var offset = new OffsetCommit(new TopicPartition("ledger", 1), 42, "checkpoint");
        try
        {
            await using (var first = new SiloProcess(data.FullName, settings))
            {
                await first.StartAsync();
                await using var connection = await BrokerConnection.ConnectAsync(first);
                await connection.Client.GetGrain<ITopicGrain>("ledger").CreateAsync(new TopicSpec("ledger", 2));
                await connection.Client.GetGrain<IConsumerGroupGrain>("auditors").CommitOffsetsAsync("", -1, [offset]);
                await first.StopAsync();
            }

            Assert.False(Directory.Exists(Path.Combine(data.FullName, "metadata")), "Metadata was written to local files, not to blobs.");

            await using var second = new SiloProcess(data.FullName, settings);
            await second.StartAsync();
            await using var again = await BrokerConnection.ConnectAsync(second);
            Assert.Equal(2, (await again.Client.GetGrain<ITopicGrain>("ledger").DescribeAsync()).Partitions);
            Assert.Contains("ledger", await again.Client.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).ListAsync());
            var committed = Assert.Single(await again.Client.GetGrain<IConsumerGroupGrain>("auditors").FetchOffsetsAsync(null));
            Assert.Equal((offset.Partition, 42L, "checkpoint"), (committed.Partition, committed.Offset, committed.Metadata));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
