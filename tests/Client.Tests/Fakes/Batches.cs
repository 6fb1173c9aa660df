using System.Text;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>Builds v2 batches as a broker would hold them (offsets stamped).</summary>
internal static class Batches
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A batch of <paramref name="count"/> records from <paramref name="baseOffset"/>: key <c>k{offset}</c>, value <c>v{offset}</c>, timestamp 1000 + offset.</summary>
    public static byte[] Build(long baseOffset, int count, CompressionType compression = CompressionType.None)
    {
        var builder = new RecordBatchBuilder { Compression = compression, BaseOffset = baseOffset };
        for (var i = 0; i < count; i++)
        {
            var offset = baseOffset + i;
            builder.Append(1000 + offset, Encoding.UTF8.GetBytes($"k{offset}"), Encoding.UTF8.GetBytes($"v{offset}"));
        }

        return builder.Build();
    }

    public static byte[] Concat(params byte[][] batches) => [.. batches.SelectMany(b => b)];
}

/// <summary>Waits for a task the test expects to complete, without hanging the run if it does not.</summary>
internal static class TaskExtensions
{
    public static Task<T> Soon<T>(this Task<T> task) => task.WaitAsync(Batches.Patience, Xunit.TestContext.Current.CancellationToken);

    public static Task Soon(this Task task) => task.WaitAsync(Batches.Patience, Xunit.TestContext.Current.CancellationToken);
}
