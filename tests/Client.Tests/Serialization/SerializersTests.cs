using Orlog.Errors;
using Xunit;

namespace Orlog.Client;

public class SerializersTests
{
    private static readonly SerializationContext Context = new(MessageComponentType.Value, "t");

    [Fact]
    public void Int32_IsFourBytesBigEndian_AsKafkasIntegerSerializer()
    {
        Assert.Equal([0x12, 0x34, 0x56, 0x78], Serializers.Int32.Serialize(0x12345678, Context));
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFE], Serializers.Int32.Serialize(-2, Context));
    }

    [Fact]
    public void Int64_IsEightBytesBigEndian_AsKafkasLongSerializer() =>
        Assert.Equal([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], Serializers.Int64.Serialize(0x0102030405060708, Context));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Int32_RoundTrips(int value) =>
        Assert.Equal(value, Deserializers.Int32.Deserialize(Serializers.Int32.Serialize(value, Context), false, Context));

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Int64_RoundTrips(long value) =>
        Assert.Equal(value, Deserializers.Int64.Deserialize(Serializers.Int64.Serialize(value, Context), false, Context));

    [Fact]
    public void Utf8_EncodesAndDecodesText()
    {
        var bytes = Serializers.Utf8.Serialize("héllo ✓", Context);

        Assert.Equal("héllo ✓"u8.ToArray(), bytes);
        Assert.Equal("héllo ✓", Deserializers.Utf8.Deserialize(bytes, false, Context));
    }

    [Fact]
    public void Utf8_NullIsNull()
    {
        Assert.Null(Serializers.Utf8.Serialize(null!, Context));
        Assert.Null(Deserializers.Utf8.Deserialize([], true, Context));
    }

    [Fact]
    public void Null_SerializesToNull() => Assert.Null(Serializers.Null.Serialize(null!, Context));

    [Fact]
    public void NullDeserializer_RefusesData()
    {
        Assert.Null(Deserializers.Null.Deserialize([], true, Context));

        var error = Assert.Throws<OrlogException>(() => Deserializers.Null.Deserialize([1], false, Context));
        Assert.Equal(ErrorCode.InvalidRecord, error.Code);
    }

    [Fact]
    public void Ignore_DoesNotLookAtTheData() => Assert.Null(Deserializers.Ignore.Deserialize([1, 2, 3], false, Context));

    [Fact]
    public void ByteArray_PassesThroughAndCopiesOnRead()
    {
        byte[] data = [1, 2, 3];
        Assert.Same(data, Serializers.ByteArray.Serialize(data, Context));

        var read = Deserializers.ByteArray.Deserialize(data, false, Context);
        Assert.Equal(data, read);
        Assert.NotSame(data, read);
        Assert.Null(Deserializers.ByteArray.Deserialize([], true, Context));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Int32_RefusesOtherLengths(int length)
    {
        var error = Assert.Throws<OrlogException>(() => Deserializers.Int32.Deserialize(new byte[length], false, Context));
        Assert.Equal(ErrorCode.InvalidRecord, error.Code);
        Assert.Contains($"{length} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int64_RefusesNull() =>
        Assert.Equal(ErrorCode.InvalidRecord, Assert.Throws<OrlogException>(() => Deserializers.Int64.Deserialize([], true, Context)).Code);

    [Fact]
    public void Defaults_CoverTheBuiltInTypes()
    {
        Assert.Same(Serializers.Utf8, DefaultSerdes.Serializer<string>(MessageComponentType.Key));
        Assert.Same(Serializers.Int64, DefaultSerdes.Serializer<long>(MessageComponentType.Key));
        Assert.Same(Deserializers.Ignore, DefaultSerdes.Deserializer<Ignore>(MessageComponentType.Value));

        var error = Assert.Throws<OrlogException>(() => DefaultSerdes.Serializer<DateTime>(MessageComponentType.Value));
        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
        Assert.Contains("SetValueSerializer", error.Message, StringComparison.Ordinal);
    }
}
