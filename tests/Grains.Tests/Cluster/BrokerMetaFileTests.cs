using Xunit;

namespace Orlog.Cluster;

public sealed class BrokerMetaFileTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("orlog-meta-");

    [Fact]
    public void ADirectory_KeepsTheBrokerIdItGotFirst()
    {
        var first = BrokerMetaFile.LoadOrCreate(_data.FullName, configuredId: 7, zone: "westeurope-1");
        var again = BrokerMetaFile.LoadOrCreate(_data.FullName, zone: "westeurope-2");

        Assert.Equal(new BrokerIdentity(7, "westeurope-1"), first);
        Assert.Equal(new BrokerIdentity(7, "westeurope-2"), again);
        Assert.True(File.Exists(Path.Combine(_data.FullName, BrokerMetaFile.FileName)));
    }

    [Fact]
    public void WithoutAConfiguredId_OneAboveTheConfigurableRangeIsGenerated_AndKept()
    {
        var generated = BrokerMetaFile.LoadOrCreate(Path.Combine(_data.FullName, "new"));

        Assert.InRange(generated.BrokerId, BrokerMetaFile.MaxConfiguredBrokerId + 1, int.MaxValue);
        Assert.Equal(generated, BrokerMetaFile.LoadOrCreate(Path.Combine(_data.FullName, "new")));
    }

    [Fact]
    public void AConfiguredIdThatIsNotTheDirectorysOwn_StopsTheSilo_AndChangesNothing()
    {
        BrokerMetaFile.LoadOrCreate(_data.FullName, configuredId: 1);
        var path = Path.Combine(_data.FullName, BrokerMetaFile.FileName);
        var before = File.ReadAllText(path);

        var error = Assert.Throws<InvalidOperationException>(() => BrokerMetaFile.LoadOrCreate(_data.FullName, configuredId: 2));

        Assert.Contains("belongs to broker 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void ADamagedMetaFile_IsReported_NotReplaced()
    {
        var path = Path.Combine(_data.FullName, BrokerMetaFile.FileName);
        File.WriteAllText(path, "{\"version\":1}");

        var error = Assert.Throws<InvalidOperationException>(() => BrokerMetaFile.LoadOrCreate(_data.FullName));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Equal("{\"version\":1}", File.ReadAllText(path));
    }

    [Fact]
    public void TheIdentity_RoundTripsThroughSiloMetadata()
    {
        Assert.Equal(new BrokerIdentity(3, "z1"), BrokerIdentity.FromSiloMetadata(new BrokerIdentity(3, "z1").ToSiloMetadata()));
        Assert.Equal(new BrokerIdentity(4, null), BrokerIdentity.FromSiloMetadata(new BrokerIdentity(4, null).ToSiloMetadata()));
        Assert.Null(BrokerIdentity.FromSiloMetadata(new Dictionary<string, string>()));
    }

    public void Dispose() => _data.Delete(recursive: true);
}
