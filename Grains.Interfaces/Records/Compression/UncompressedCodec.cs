using System.Buffers;

namespace Orlog.Records.Compression;

/// <summary>Codec 0: the records section is stored as is.</summary>
internal sealed class UncompressedCodec : RecordsCodec
{
    public static readonly UncompressedCodec Instance = new();

    public override CompressionType Type => CompressionType.None;

    public override void Compress(ReadOnlySpan<byte> records, IBufferWriter<byte> destination) => destination.Write(records);

    protected override void DecompressCore(ReadOnlySpan<byte> compressed, BoundedBufferWriter destination) => destination.Write(compressed);
}
