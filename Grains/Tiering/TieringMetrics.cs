using System.Diagnostics.Metrics;
using Orlog.Metrics;

namespace Orlog.Tiering;

/// <summary>Tiering's metrics, on the broker's meter: bytes copied, remote segments, remote read bytes and latency.</summary>
public sealed class TieringMetrics
{
    private readonly Counter<long> _bytesCopied;
    private readonly Counter<long> _segmentsCopied;
    private readonly Counter<long> _segmentsDeleted;
    private readonly Counter<long> _readBytes;
    private readonly Histogram<double> _readDuration;

    public TieringMetrics(IMeterFactory meters, Func<IEnumerable<Measurement<long>>> remoteSegmentCounts)
    {
        var meter = meters.Create(BrokerMetrics.MeterName);
        _bytesCopied = meter.CreateCounter<long>("orlog.remote.bytes.copied", "By", "Segment bytes copied to the remote tier, per topic.");
        _segmentsCopied = meter.CreateCounter<long>("orlog.remote.segments.copied", "{segment}", "Segments copied to the remote tier, per topic.");
        _segmentsDeleted = meter.CreateCounter<long>("orlog.remote.segments.deleted", "{segment}", "Remote segments deleted by retention, per topic.");
        _readBytes = meter.CreateCounter<long>("orlog.remote.read.bytes", "By", "Bytes read from the remote tier (cache misses), per topic.");
        _readDuration = meter.CreateHistogram<double>("orlog.remote.read.duration", "ms", "Time of one remote read (a cache miss).");
        meter.CreateObservableGauge("orlog.remote.segments", remoteSegmentCounts, "{segment}", "Finished remote segments per partition.");
    }

    public void Copied(string topic, long bytes)
    {
        var tag = new KeyValuePair<string, object?>("topic", topic);
        _bytesCopied.Add(bytes, tag);
        _segmentsCopied.Add(1, tag);
    }

    public void Deleted(string topic, int segments) => _segmentsDeleted.Add(segments, new KeyValuePair<string, object?>("topic", topic));

    public void Read(string topic, long bytes, TimeSpan duration)
    {
        _readBytes.Add(bytes, new KeyValuePair<string, object?>("topic", topic));
        _readDuration.Record(duration.TotalMilliseconds);
    }
}
