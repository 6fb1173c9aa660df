using System.Collections.Frozen;
using System.Text;

namespace Orlog.Errors;

/// <summary>Kafka's spelling of an <see cref="ErrorCode"/>: <c>OffsetOutOfRange</c> is <c>OFFSET_OUT_OF_RANGE</c>.</summary>
public static class ErrorCodeNames
{
    private static readonly FrozenDictionary<ErrorCode, string> Names =
        Enum.GetValues<ErrorCode>().ToFrozenDictionary(code => code, code => ToScreamingSnake(code.ToString()));

    public static string KafkaName(this ErrorCode code) =>
        Names.TryGetValue(code, out var name) ? name : ((short)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string ToScreamingSnake(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(pascal[i]));
        }

        return builder.ToString();
    }
}
