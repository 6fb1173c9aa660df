using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Orlog.Benchmarks.Infrastructure;

/// <summary>
/// The BenchmarkDotNet settings: a short "monitoring" job (each iteration is one invocation of a
/// large, fixed amount of I/O; no pilot stage, no overhead subtraction) run in this process, so a
/// full run stays within ~25 minutes on a 2-core machine and needs no generated project build.
/// </summary>
internal static class BenchConfig
{
    public const int WarmupCount = 1;
    public const int IterationCount = 6;

    public static IConfig Create()
    {
        var job = Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(WarmupCount)
            .WithIterationCount(IterationCount)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Short");
        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(new ThroughputColumn())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
            .AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond))
            .WithArtifactsPath(Path.Combine(BenchDirectory.Root, "artifacts"))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}
