using System.Text.Json;
using Xunit;

namespace Orlog.Infra;

/// <summary>The Bicep templates compile and lint clean with the pinned Bicep CLI: any warning fails.</summary>
public sealed class BicepTests
{
    public static TheoryData<string> Templates() =>
        [.. Directory.GetFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Repository.Root, f)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task MainTemplate_Builds_WithoutAWarning_IntoAnArmTemplateWithOutputs()
    {
        var (exitCode, output, error) = await Repository.RunAsync(Repository.Bicep, "build", "infra/main.bicep", "--stdout");

        Assert.True(exitCode == 0, error);
        Assert.Equal("", error.Trim());
        using var template = JsonDocument.Parse(output);
        Assert.True(template.RootElement.GetProperty("outputs").EnumerateObject().Any(), "main.bicep has no outputs for azd.");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task EveryTemplate_LintsClean(string template)
    {
        var (exitCode, output, error) = await Repository.RunAsync(Repository.Bicep, "lint", template);

        Assert.True(exitCode == 0, $"{output}{error}");
        Assert.Equal("", (output + error).Trim());
    }
}
