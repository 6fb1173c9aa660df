using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Serialization;
using Xunit;

namespace Orlog.Partitions;

public class ProduceBatchesTests
{
    private static readonly Lazy<IServiceProvider> Services = new(() =>
        new ServiceCollection().AddSerializer(serializer => serializer.AddAssembly(typeof(ProduceBatches).Assembly)).BuildServiceProvider());

    private static Serializer Serializer => Services.Value.GetRequiredService<Serializer>();

    [Fact]
    public void ACallOverTheNetwork_ArrivesWithTheSameBytes_InARentedBufferThatReleaseGivesBack()
    {
        var bytes = new byte[300_000];
        Random.Shared.NextBytes(bytes);

        var arrived = Serializer.Deserialize<ProduceBatches>(Serializer.SerializeToArray(new ProduceBatches(bytes)))!;

        Assert.Equal(bytes.Length, arrived.Length);
        Assert.True(arrived.Span.SequenceEqual(bytes));
        arrived.Release();
        Assert.True(arrived.IsMissing);
        Assert.Throws<ObjectDisposedException>(() => arrived.Span.Length);
    }

    [Fact]
    public void ALengthTheMessageCannotHold_IsRefused_BeforeABufferIsRented()
    {
        var whole = Serializer.SerializeToArray(new ProduceBatches(new byte[64 << 20]));
        var truncated = whole.AsSpan(0, 4096).ToArray();

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Assert.ThrowsAny<Exception>(() => Serializer.Deserialize<ProduceBatches>(truncated));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 1 << 20, "a 64 MiB buffer was rented for a 4 KiB message");
    }

    [Fact]
    public void ARequestWithoutABuffer_ArrivesWithoutOne()
    {
        var arrived = Serializer.Deserialize<ProduceBatches>(Serializer.SerializeToArray(new ProduceBatches(null)))!;

        Assert.True(arrived.IsMissing);
        Assert.Equal(0, arrived.Length);
    }

    [Fact]
    public void AnEmptyBuffer_IsNotAMissingOne()
    {
        var arrived = Serializer.Deserialize<ProduceBatches>(Serializer.SerializeToArray(new ProduceBatches([])))!;

        Assert.False(arrived.IsMissing);
        Assert.Equal(0, arrived.Length);
    }

    [Fact]
    public void ACoHostedCall_PassesTheCallersInstance()
    {
        var sent = new ProduceBatches(new byte[] { 1, 2, 3 });

        Assert.Same(sent, Services.Value.GetRequiredService<DeepCopier<ProduceBatches>>().Copy(sent));
    }

    [Fact]
    public void ARentedBuffer_GoesBackToThePoolOnce_WhoeverReleasesIt()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        var batches = ProduceBatches.FromRented(buffer, 700);

        batches.Release();
        batches.Release();

        // Returned twice, the pool would hand the same array to the next two renters.
        var first = ArrayPool<byte>.Shared.Rent(1024);
        var second = ArrayPool<byte>.Shared.Rent(1024);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void AnImmutableArray_ConvertsWithoutACopy()
    {
        var bytes = new byte[] { 9, 8, 7 };
        ProduceBatches batches = bytes.AsImmutable();

        batches.Span[0] = 1;

        Assert.Equal(1, bytes[0]);
        batches.Release();
        Assert.True(batches.IsMissing);
    }
}
