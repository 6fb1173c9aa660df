namespace Orlog.Records;

/// <summary>The codec of a batch's records section: bits 0-2 of the batch attributes, numbered as in Kafka.</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
