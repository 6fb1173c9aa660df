using Orlog.Errors;
using Orlog.Partitions;
using Orlog.Records;
using Xunit;

namespace Orlog.Client;

public class ConfigTests
{
    [Fact]
    public void ProducerDefaults_AreKafkas()
    {
        var config = new ProducerConfig();

        Assert.Equal(Acks.All, config.Acks);
        Assert.Equal(5, config.LingerMs);
        Assert.Equal(16384, config.BatchSize);
        Assert.Equal(32L * 1024 * 1024, config.BufferMemory);
        Assert.Equal(60_000, config.MaxBlockMs);
        Assert.Equal(1024 * 1024, config.MaxRequestSize);
        Assert.Equal(CompressionType.None, config.CompressionType);
        Assert.Equal(int.MaxValue, config.Retries);
        Assert.Equal(100, config.RetryBackoffMs);
        Assert.Equal(1000, config.RetryBackoffMaxMs);
        Assert.Equal(120_000, config.DeliveryTimeoutMs);
        Assert.Equal(1, config.MaxInFlightRequestsPerPartition);
        Assert.Equal(Partitioner.Murmur2Sticky, config.Partitioner);
        config.Validate();
    }

    [Fact]
    public void ConsumerDefaults_AreKafkas()
    {
        var config = new ConsumerConfig();

        Assert.Equal(AutoOffsetReset.Latest, config.AutoOffsetReset);
        Assert.Equal(1, config.FetchMinBytes);
        Assert.Equal(50 * 1024 * 1024, config.FetchMaxBytes);
        Assert.Equal(1024 * 1024, config.MaxPartitionFetchBytes);
        Assert.Equal(500, config.FetchMaxWaitMs);
        Assert.True(config.CheckCrcs);
        config.Validate();
    }

    public static TheoryData<Action<ProducerConfig>, string> BadProducerConfigs => new()
    {
        { c => c.LingerMs = -1, "LingerMs" },
        { c => c.BatchSize = 0, "BatchSize" },
        { c => c.BufferMemory = 1000, "BufferMemory" },
        { c => c.Retries = -1, "Retries" },
        { c => c.MaxInFlightRequestsPerPartition = 0, "MaxInFlightRequestsPerPartition" },
        { c => c.DeliveryTimeoutMs = 1000, "DeliveryTimeoutMs" },
        { c => c.RetryBackoffMaxMs = 10, "RetryBackoffMaxMs" },
        { c => c.Acks = (Acks)7, "Acks" },
        { c => c.BootstrapServers = "localhost", "BootstrapServers" },
    };

    [Theory]
    [MemberData(nameof(BadProducerConfigs))]
    public void Validate_NamesTheBadSetting(Action<ProducerConfig> change, string setting)
    {
        var config = new ProducerConfig();
        change(config);

        var error = Assert.Throws<OrlogException>(config.Validate);

        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsumerValidate_RefusesBadFetchSizes()
    {
        var config = new ConsumerConfig { MaxPartitionFetchBytes = 0 };

        Assert.Contains("MaxPartitionFetchBytes", Assert.Throws<OrlogException>(config.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BootstrapServers_ParseAsHostPortPairs()
    {
        Assert.Empty(GatewayEndpoints.Parse(null));
        Assert.Equal([("broker-1", 30000), ("10.0.0.2", 30001), ("::1", 30002)], GatewayEndpoints.Parse("broker-1:30000, 10.0.0.2:30001,[::1]:30002"));
    }
}
