namespace Orlog.Log.Epochs;

/// <summary>A leader epoch and the offset where its writes ended (the next epoch's start, or the log end).</summary>
public readonly record struct EpochEnd(int Epoch, long EndOffset);
