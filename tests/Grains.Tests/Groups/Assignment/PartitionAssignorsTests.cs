using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;
using Xunit;

namespace Orlog.Groups.Assignment;

public sealed class PartitionAssignorsTests
{
    [Theory]
    [InlineData("range", typeof(RangeAssignor), RebalanceProtocol.Eager)]
    [InlineData("roundrobin", typeof(RoundRobinAssignor), RebalanceProtocol.Eager)]
    [InlineData("cooperative-sticky", typeof(CooperativeStickyAssignor), RebalanceProtocol.Cooperative)]
    public void Get_ReturnsTheAssignorOfThatKafkaName(string name, Type type, RebalanceProtocol protocol)
    {
        var assignor = PartitionAssignors.Get(name);

        Assert.IsType(type, assignor);
        Assert.Equal((name, protocol), (assignor.Name, assignor.Protocol));
    }

    [Fact]
    public void Default_IsCooperativeSticky()
    {
        Assert.Equal("cooperative-sticky", PartitionAssignors.Default);
        Assert.IsType<CooperativeStickyAssignor>(PartitionAssignors.Get(PartitionAssignors.Default));
    }

    [Fact]
    public void Names_AreTheThreeKafkaNames() =>
        Assert.Equal(["cooperative-sticky", "range", "roundrobin"], PartitionAssignors.Names);

    [Theory]
    [InlineData("sticky")]
    [InlineData("Range")]
    [InlineData("round-robin")]
    [InlineData("")]
    public void Get_AnUnknownName_IsInconsistentGroupProtocolListingTheKnownNames(string name)
    {
        var error = Assert.Throws<OrlogException>(() => PartitionAssignors.Get(name));

        Assert.Equal(ErrorCode.InconsistentGroupProtocol, error.Code);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.All(PartitionAssignors.Names, known => Assert.Contains(known, error.Message, StringComparison.Ordinal));
    }
}
