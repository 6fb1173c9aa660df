using Xunit;

namespace Orlog.Client;

public class HeadersTests
{
    [Fact]
    public void NullValue_StaysNull_AndEmptyStaysEmpty()
    {
        var headers = new Headers { { "none", (byte[]?)null }, { "empty", Array.Empty<byte>() } };

        Assert.Null(headers[0].Value);
        Assert.NotNull(headers[1].Value);
        Assert.Equal(0, headers[1].Value!.Value.Length);
    }

    [Fact]
    public void TryGetLastBytes_FindsTheLastOfARepeatedKey()
    {
        var headers = new Headers { { "k", "first" }, { "k", "second" } };

        Assert.True(headers.TryGetLastBytes("k", out var value));
        Assert.Equal("second"u8.ToArray(), value!.Value.ToArray());
        Assert.False(headers.TryGetLastBytes("missing", out _));

        headers.Remove("k");
        Assert.Empty(headers);
    }
}
