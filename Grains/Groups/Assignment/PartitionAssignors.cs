using System.Collections.Frozen;
using Orlog.Errors;
using ErrorCode = Orlog.Errors.ErrorCode;

namespace Orlog.Groups.Assignment;

/// <summary>The partition assignment strategies a consumer group may name, under Kafka's names.</summary>
public static class PartitionAssignors
{
    /// <summary>The strategy a group uses when its members name none.</summary>
    public const string Default = CooperativeStickyAssignor.KafkaName;

    private static readonly FrozenDictionary<string, IPartitionAssignor> ByName = new IPartitionAssignor[]
    {
        new RangeAssignor(), new RoundRobinAssignor(), new CooperativeStickyAssignor(),
    }.ToFrozenDictionary(assignor => assignor.Name, StringComparer.Ordinal);

    /// <summary>The known strategy names, ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The strategy called <paramref name="name"/>; case-sensitive, as in Kafka.</summary>
    /// <exception cref="OrlogException">INCONSISTENT_GROUP_PROTOCOL for a name no strategy has.</exception>
    public static IPartitionAssignor Get(string name) =>
        ByName.TryGetValue(name, out var assignor)
            ? assignor
            : throw new OrlogException(
                ErrorCode.InconsistentGroupProtocol,
                $"Unknown partition assignment strategy '{name}'. Known strategies: {string.Join(", ", Names)}.");
}
