namespace Orlog.Silo;

/// <summary>Finds a program of this repository built beside these tests, in the same configuration.</summary>
internal static class BuiltAssembly
{
    /// <param name="projectFolder">The project's folder relative to the repository root, e.g. <c>Client/Cli</c>.</param>
    public static string PathOf(string projectFolder, string assemblyFile)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var repository = testOutput;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Orlog.slnx")))
        {
            repository = repository.Parent;
        }

        var root = repository?.FullName ?? throw new InvalidOperationException("Orlog.slnx not found above the test output.");
        var path = Path.Combine(root, projectFolder, "bin", configuration, framework, assemblyFile);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectFolder} first.", path);
    }
}
