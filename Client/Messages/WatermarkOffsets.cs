namespace Orlog.Client;

/// <summary>A partition's bounds: <see cref="Low"/> is the log start, <see cref="High"/> the high watermark (next offset to be written).</summary>
public readonly record struct WatermarkOffsets(Offset Low, Offset High);
