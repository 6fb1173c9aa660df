using Orleans;

namespace Orlog.Storage;

/// <summary>The grain state the storage tests write: serialized by Orleans' generated codec, compared by value.</summary>
[GenerateSerializer]
[Alias("orlog.tests.storage-test-state")]
public sealed record TestState
{
    [Id(0)]
    public string Name { get; init; } = "";

    [Id(1)]
    public long Count { get; init; }
}
