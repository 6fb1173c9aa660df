using Orleans.Concurrency;
using Orlog.Partitions;
using Orlog.Topics;
using Xunit;

namespace Orlog.Silo;

/// <summary>Stopping the silo the way a service manager does (SIGTERM, as Ctrl-C) closes every log cleanly.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_ClosesTheLogsCleanly_AndTheDataIsThereAfterARestart()
    {
        var data = Directory.CreateTempSubdirectory("orlog-stop-");
        try
        {
            await using var silo = new SiloProcess(data.FullName);
            await silo.StartAsync();
            await using (var connection = await BrokerConnection.ConnectAsync(silo))
            {
                await connection.Client.GetGrain<ITopicGrain>("kept").CreateAsync(new TopicSpec("kept", 2));
                for (var partition = 0; partition < 2; partition++)
                {
                    var batch = new Records.RecordBatchBuilder();
                    batch.Append(1_700_000_000_000, key: null, value: new byte[] { 1, 2, 3 });
                    await connection.Client.GetGrain<IPartitionGrain>(PartitionKey.Format("kept", partition)).ProduceAsync(new Immutable<byte[]>(batch.Build()), Acks.Leader);
                }
            }

            await silo.StopAsync();
            Assert.Contains("Log manager stopped; 2 log(s) closed cleanly", silo.Output, StringComparison.Ordinal);

            await silo.StartAsync();
            await using var after = await BrokerConnection.ConnectAsync(silo);
            Assert.Equal(2, (await after.Client.GetGrain<ITopicGrain>("kept").DescribeAsync()).Partitions);
            Assert.Equal(new ListOffsetsResult(1, -1), await after.Client.GetGrain<IPartitionGrain>(PartitionKey.Format("kept", 1)).ListOffsetsAsync(OffsetSpec.Latest));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
