using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Orlog.Benchmarks.Infrastructure;

/// <summary>
/// MB/s (10^6 bytes per second, as dd prints them): the bytes of one operation divided by the
/// mean time of one operation.
/// </summary>
internal sealed class ThroughputColumn : IColumn
{
    public const string ParameterName = "BatchBytes";

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput in 10^6 bytes per second: bytes per operation / mean time per operation";

    public static long? BytesPerOperation(BenchmarkCase benchmarkCase)
    {
        var attribute = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<BytesPerOperationAttribute>();
        if (attribute is not null)
        {
            return attribute.Bytes;
        }

        var parameter = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == ParameterName);
        return parameter?.Value is int bytes ? bytes : null;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        var bytes = BytesPerOperation(benchmarkCase);
        if (statistics is null || bytes is null || statistics.Mean <= 0)
        {
            return "-";
        }

        var megabytesPerSecond = bytes.Value / statistics.Mean * 1e9 / 1e6;
        return megabytesPerSecond.ToString("N1", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
