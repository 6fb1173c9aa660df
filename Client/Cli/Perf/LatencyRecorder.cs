using System.Diagnostics;

namespace Orlog.Cli.Perf;

/// <summary>
/// Latency statistics of a perf run: count, mean and max over every sample, percentiles over a
/// bounded sample of at most <see cref="MaxSamples"/> (every n-th value, as Kafka's perf tool).
/// </summary>
/// <remarks>Thread-safe: delivery callbacks record from the client's threads.</remarks>
internal sealed class LatencyRecorder
{
    public const int MaxSamples = 500_000;

    private readonly Lock _lock = new();
    private readonly long[] _samples;
    private readonly long _sampleEvery;
    private int _sampled;
    private long _count;
    private long _totalTicks;
    private long _maxTicks;

    public LatencyRecorder(long expectedCount)
    {
        _sampleEvery = Math.Max(1, expectedCount / MaxSamples);
        _samples = new long[Math.Min(MaxSamples, Math.Max(1, expectedCount))];
    }

    public long Count => Interlocked.Read(ref _count);

    public void Record(long elapsedTicks)
    {
        lock (_lock)
        {
            if (_count % _sampleEvery == 0 && _sampled < _samples.Length)
            {
                _samples[_sampled++] = elapsedTicks;
            }

            _count++;
            _totalTicks += elapsedTicks;
            _maxTicks = Math.Max(_maxTicks, elapsedTicks);
        }
    }

    public LatencySummary Summarize()
    {
        lock (_lock)
        {
            var sorted = _samples.AsSpan(0, _sampled).ToArray();
            Array.Sort(sorted);
            return new LatencySummary(
                _count == 0 ? 0 : Milliseconds(_totalTicks) / _count,
                Milliseconds(_maxTicks),
                Percentile(sorted, 0.50),
                Percentile(sorted, 0.95),
                Percentile(sorted, 0.99),
                Percentile(sorted, 0.999));
        }
    }

    private static double Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : Milliseconds(sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Latency figures in milliseconds.</summary>
internal readonly record struct LatencySummary(double Average, double Max, double P50, double P95, double P99, double P999);
