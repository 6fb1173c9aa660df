namespace Orlog.Silo;

/// <summary>Finds a program of this repository built beside these tests, in the same configuration.</summary>
internal static class BuiltAssembly
{
    /// <summary>The repository: the first folder above the test output that holds Orlog.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <param name="projectFolder">The project's folder relative to the repository root, e.g. <c>Client/Cli</c>.</param>
    public static string PathOf(string projectFolder, string assemblyFile)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var path = Path.Combine(RepositoryRoot, projectFolder, "bin", configuration, framework, assemblyFile);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectFolder} first.", path);
    }

    private static string FindRepositoryRoot()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Orlog.slnx")))
        {
            repository = repository.Parent;
        }

        return repository?.FullName ?? throw new InvalidOperationException("Orlog.slnx not found above the test output.");
    }
}
