using System.Diagnostics.Metrics;
using Orlog.Log;

namespace Orlog.Metrics;

/// <summary>
/// The broker's metrics on <see cref="System.Diagnostics.Metrics"/> (meter <see cref="MeterName"/>),
/// so any OpenTelemetry exporter or <c>dotnet-counters</c> can read them: records and bytes in
/// and out per topic, produce and fetch latency, and the size of every open partition log.
/// </summary>
public sealed class BrokerMetrics : IDisposable
{
    public const string MeterName = "Orlog.Broker";

    private readonly Meter _meter;
    private readonly Counter<long> _recordsIn;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<double> _produceDuration;
    private readonly Histogram<double> _fetchDuration;

    public BrokerMetrics(IMeterFactory meters, LogManager logs)
    {
        _meter = meters.Create(MeterName);
        _recordsIn = _meter.CreateCounter<long>("orlog.records.in", "{record}", "Records appended, per topic.");
        _bytesIn = _meter.CreateCounter<long>("orlog.bytes.in", "By", "Record batch bytes appended, per topic.");
        _bytesOut = _meter.CreateCounter<long>("orlog.bytes.out", "By", "Record batch bytes fetched, per topic.");
        _produceDuration = _meter.CreateHistogram<double>("orlog.produce.duration", "ms", "Time from a produce request's arrival to its acknowledgement.");
        _fetchDuration = _meter.CreateHistogram<double>("orlog.fetch.duration", "ms", "Time a fetch took, long-poll wait included.");
        _meter.CreateObservableGauge("orlog.log.size", () => LogSizes(logs), "By", "Bytes stored per partition.");
    }

    public void Produced(string topic, long records, long bytes, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("topic", topic);
        _recordsIn.Add(records, tag);
        _bytesIn.Add(bytes, tag);
        _produceDuration.Record(duration.TotalMilliseconds, tag);
    }

    public void Fetched(string topic, long bytes, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("topic", topic);
        _bytesOut.Add(bytes, tag);
        _fetchDuration.Record(duration.TotalMilliseconds, tag);
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> LogSizes(LogManager logs)
    {
        foreach (var (partition, log) in logs.OpenPartitions())
        {
            yield return new Measurement<long>(
                log.Size,
                new KeyValuePair<string, object?>("topic", partition.Topic),
                new KeyValuePair<string, object?>("partition", partition.Partition));
        }
    }
}
