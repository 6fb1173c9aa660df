namespace Orlog.Log;

/// <summary>Why a <see cref="BatchScanner"/> stopped.</summary>
public enum ScanStop
{
    /// <summary>It reached the end of the range cleanly, on a batch boundary.</summary>
    End,

    /// <summary>The range ends inside a batch: a write that did not finish (a torn tail).</summary>
    Torn,

    /// <summary>A batch is damaged: impossible length, wrong magic, offsets out of sequence or a CRC mismatch.</summary>
    Corrupt,
}
