using CsCheck;

namespace Orlog.Records;

/// <summary>Random producer records for property tests.</summary>
internal static class RecordGenerators
{
    public static readonly Gen<ReadOnlyMemory<byte>?> NullableBytes = Gen.Frequency(
        (1, Gen.Const(() => (ReadOnlyMemory<byte>?)null)),
        (6, Gen.Byte.Array[0, 48].Select(bytes => (ReadOnlyMemory<byte>?)bytes)));

    // Header keys travel as UTF-8; mix in characters that take two and three bytes.
    public static readonly Gen<string> HeaderKey = Gen.String[Gen.OneOf(Gen.Char['a', 'z'], Gen.OneOf('é', 'ß', '漢')), 0, 10];

    public static readonly Gen<RecordHeader> Header = Gen.Select(HeaderKey, NullableBytes, (key, value) => new RecordHeader(key, value));

    public static readonly Gen<ProducerRecord> Record = Gen.Select(
        Gen.Long[1_500_000_000_000, 1_800_000_000_000],
        NullableBytes,
        NullableBytes,
        Header.Array[0, 3],
        (timestamp, key, value, headers) => new ProducerRecord(timestamp, key, value, headers));

    public static readonly Gen<ProducerRecord[]> Records = Record.Array[1, 25];
}
