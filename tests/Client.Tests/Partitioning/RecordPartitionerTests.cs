using System.Text;
using Xunit;

namespace Orlog.Client;

public class RecordPartitionerTests
{
    [Fact]
    public void KeyedRecord_GoesToMurmur2OfTheKey()
    {
        var partitioner = new RecordPartitioner(Partitioner.Murmur2Sticky, new Random(1));
        var key = Encoding.UTF8.GetBytes("foobar");

        // toPositive(-790332482) % 7, from Kafka's published hash of "foobar".
        Assert.Equal((-790332482 & 0x7fffffff) % 7, partitioner.Partition("t", key, 7));
    }

    [Fact]
    public void KeyedRecords_IgnoreTheStickyPartitionAndBatchesSent()
    {
        var partitioner = new RecordPartitioner(Partitioner.Murmur2Sticky, new Random(1));
        var key = Encoding.UTF8.GetBytes("order-42");
        var first = partitioner.Partition("t", key, 12);
        partitioner.OnBatchSent("t", first, 12);

        Assert.Equal(first, partitioner.Partition("t", key, 12));
    }

    [Fact]
    public void NullKeys_StickToOnePartitionUntilItsBatchIsSent()
    {
        var partitioner = new RecordPartitioner(Partitioner.Murmur2Sticky, new Random(7));
        var sticky = partitioner.Partition("t", null, 10);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(sticky, partitioner.Partition("t", null, 10));
        }

        partitioner.OnBatchSent("t", sticky, 10);

        var next = partitioner.Partition("t", null, 10);
        Assert.NotEqual(sticky, next);
        Assert.InRange(next, 0, 9);
        Assert.Equal(next, partitioner.Partition("t", null, 10));
    }

    [Fact]
    public void BatchSentOnAnotherPartition_KeepsTheStickyOne()
    {
        var partitioner = new RecordPartitioner(Partitioner.Murmur2Sticky, new Random(3));
        var sticky = partitioner.Partition("t", null, 10);

        partitioner.OnBatchSent("t", (sticky + 1) % 10, 10);

        Assert.Equal(sticky, partitioner.Partition("t", null, 10));
    }

    [Fact]
    public void StickyPartitions_AreKeptPerTopic()
    {
        var partitioner = new RecordPartitioner(Partitioner.Murmur2Sticky, new Random(5));
        var a = partitioner.Partition("a", null, 50);
        var b = partitioner.Partition("b", null, 50);

        partitioner.OnBatchSent("b", b, 50);

        Assert.Equal(a, partitioner.Partition("a", null, 50));
        Assert.NotEqual(b, partitioner.Partition("b", null, 50));
    }

    [Fact]
    public void StickySwitches_VisitEveryPartitionOverTime()
    {
        var partitioner = new RecordPartitioner(Partitioner.Murmur2Sticky, new Random(11));
        var seen = new HashSet<int>();
        for (var i = 0; i < 500; i++)
        {
            var partition = partitioner.Partition("t", null, 6);
            seen.Add(partition);
            partitioner.OnBatchSent("t", partition, 6);
        }

        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public void OnePartition_StaysOnIt()
    {
        var partitioner = new RecordPartitioner(Partitioner.Murmur2Sticky, new Random(1));
        Assert.Equal(0, partitioner.Partition("t", null, 1));

        partitioner.OnBatchSent("t", 0, 1);

        Assert.Equal(0, partitioner.Partition("t", null, 1));
    }

    [Fact]
    public void UniformSticky_PlacesKeyedRecordsByTheStickyRuleToo()
    {
        var partitioner = new RecordPartitioner(Partitioner.UniformSticky, new Random(2));
        var sticky = partitioner.Partition("t", null, 100);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(sticky, partitioner.Partition("t", Encoding.UTF8.GetBytes($"key-{i}"), 100));
        }
    }
}
