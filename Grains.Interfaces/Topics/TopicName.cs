using Orlog.Errors;

namespace Orlog.Topics;

/// <summary>Kafka's rule for topic names: 1 to 249 characters of <c>[a-zA-Z0-9._-]</c>, not <c>.</c> or <c>..</c>.</summary>
public static class TopicName
{
    public const int MaxLength = 249;

    /// <exception cref="OrlogException">INVALID_TOPIC, saying what is wrong with the name.</exception>
    public static void Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(name, "it is empty");
        }

        if (name.Length > MaxLength)
        {
            throw Invalid(name[..20] + "...", $"it is {name.Length} characters long, more than {MaxLength}");
        }

        if (name is "." or "..")
        {
            throw Invalid(name, "'.' and '..' are reserved");
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw Invalid(name, $"'{c}' is not allowed (letters, digits, '.', '_' and '-' are)");
            }
        }
    }

    private static OrlogException Invalid(string? name, string why) =>
        new(ErrorCode.InvalidTopic, $"'{name}' is not a valid topic name: {why}.");
}
