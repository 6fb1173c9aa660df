namespace Orlog.Log.Index;

/// <summary>An index hit: the batch holding <see cref="Offset"/> starts at or after byte <see cref="Position"/>.</summary>
public readonly record struct OffsetPosition(long Offset, int Position);
