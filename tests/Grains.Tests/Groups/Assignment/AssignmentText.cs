namespace Orlog.Groups.Assignment;

/// <summary>Short spellings for assignor tests: topic partition counts in, "C0: t-0 t-1 | C1: t-2" out.</summary>
internal static class AssignmentText
{
    public static Dictionary<string, int> Counts(params (string Topic, int Partitions)[] topics) =>
        topics.ToDictionary(topic => topic.Topic, topic => topic.Partitions, StringComparer.Ordinal);

    public static string Render(IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> result) =>
        string.Join(" | ", result.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}: {string.Join(' ', entry.Value)}"));
}
