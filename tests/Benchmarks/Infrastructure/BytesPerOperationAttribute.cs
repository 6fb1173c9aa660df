namespace Orlog.Benchmarks.Infrastructure;

/// <summary>
/// The bytes one operation of a benchmark moves, for <see cref="ThroughputColumn"/>. Without it
/// the column takes the benchmark's <c>BatchBytes</c> parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class BytesPerOperationAttribute(int bytes) : Attribute
{
    public int Bytes { get; } = bytes;
}
