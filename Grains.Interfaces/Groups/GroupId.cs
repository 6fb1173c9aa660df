using Orlog.Errors;

namespace Orlog.Groups;

/// <summary>Kafka's rule for group ids: not empty (Orlog also caps the length, as ids become file names).</summary>
public static class GroupId
{
    public const int MaxLength = 249;

    /// <exception cref="OrlogException">INVALID_GROUP_ID.</exception>
    public static void Validate(string? groupId)
    {
        if (string.IsNullOrWhiteSpace(groupId) || groupId.Length > MaxLength)
        {
            throw new OrlogException(ErrorCode.InvalidGroupId, $"'{groupId}' is not a valid group id: it must have 1 to {MaxLength} characters, not all blank.");
        }
    }
}
