using Xunit;

namespace Orlog.Silo;

/// <summary>Orlog:ZoneFromInstanceMetadata: the silo takes its zone from the Azure Instance Metadata Service, or does not start.</summary>
public sealed class InstanceMetadataZoneTests
{
    [Fact]
    public async Task TheZone_ComesFromTheInstanceMetadataService_AndShowsInClusterDescribe()
    {
        using var metadata = new StandInHttpServer("2");
        var data = Directory.CreateTempSubdirectory("orlog-imds-");
        try
        {
            await using var silo = new SiloProcess(data.FullName, "--Orlog:ZoneFromInstanceMetadata=true", $"--Orlog:InstanceMetadataEndpoint={metadata.Endpoint}");
            await silo.StartAsync();

            var described = await CliProcess.RunAsync(silo, null, "cluster", "describe");

            Assert.True(described.ExitCode == 0, described.Error);
            var broker = Assert.Single(CliProcess.DataRows(described.Output));
            Assert.Equal("2", broker[2]);
            var asked = Assert.Single(metadata.Requests);
            Assert.Equal("/metadata/instance/compute/zone", asked.Path);
            Assert.Equal("true", asked.Metadata);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WithoutAnInstanceMetadataService_TheSiloDoesNotStart_AndSaysWhy()
    {
        var data = Directory.CreateTempSubdirectory("orlog-imds-");
        try
        {
            await using var silo = new SiloProcess(data.FullName, "--Orlog:ZoneFromInstanceMetadata=true", $"--Orlog:InstanceMetadataEndpoint=http://127.0.0.1:{SiloProcess.FreePort()}");

            var error = await Assert.ThrowsAsync<InvalidOperationException>(silo.StartAsync);

            Assert.Contains("did not tell the zone", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
