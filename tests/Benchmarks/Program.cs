using BenchmarkDotNet.Running;
using Orlog.Benchmarks.Allocation;
using Orlog.Benchmarks.Append;
using Orlog.Benchmarks.Infrastructure;
using Orlog.Benchmarks.Latency;
using Orlog.Benchmarks.Read;
using Orlog.Benchmarks.Streams;

namespace Orlog.Benchmarks;

/// <summary>
/// <c>Orlog.Benchmarks append|ratio|read|latency|rawdisk|alloc|streams|all [BenchmarkDotNet options]</c>; see
/// docs/BENCHMARKS.md. Logs go to <c>$ORLOG_BENCH_DIR</c> (default /tmp/orlog-bench), which must be
/// on the disk under test.
/// </summary>
public static class Program
{
    private const string Usage = "usage: Orlog.Benchmarks append|ratio|read|latency|rawdisk|alloc|streams|all [BenchmarkDotNet options, e.g. --filter *Os*]";

    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        BenchDirectory.Describe(Console.Out);
        var rest = args[1..];
        switch (args[0])
        {
            case "append":
                RunBenchmarks([typeof(AppendBenchmarks), typeof(GroupCommitBenchmarks)], rest);
                new PairedAppendRatio(Console.Out).Run();
                break;
            case "ratio":
                new PairedAppendRatio(Console.Out).Run();
                break;
            case "rawdisk":
                RunBenchmarks([typeof(AppendBenchmarks)], rest, $"*{nameof(AppendBenchmarks.RawWrite)}*");
                break;
            case "read":
                RunBenchmarks([typeof(ReadBenchmarks)], rest);
                break;
            case "latency":
                new RandomReadLatency(Console.Out).Run();
                break;
            case "alloc":
                new AppendAllocationProbe(Console.Out).Run();
                break;
            case "streams":
                new StreamDeliveryBenchmark(Console.Out).RunAsync().GetAwaiter().GetResult();
                break;
            case "all":
                new AppendAllocationProbe(Console.Out).Run();
                RunBenchmarks([typeof(AppendBenchmarks), typeof(GroupCommitBenchmarks), typeof(ReadBenchmarks)], rest);
                new PairedAppendRatio(Console.Out).Run();
                new RandomReadLatency(Console.Out).Run();
                break;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }

        return 0;
    }

    private static void RunBenchmarks(Type[] types, string[] args, string filter = "*")
    {
        if (!args.Contains("--filter"))
        {
            args = [.. args, "--filter", filter];
        }

        BenchmarkSwitcher.FromTypes(types).Run(args, BenchConfig.Create());
    }
}
