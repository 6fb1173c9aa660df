namespace Orlog.Tiering;

/// <summary>The three files of a segment, local and remote alike.</summary>
public enum RemoteFileKind
{
    /// <summary><c>.log</c>: the record batches.</summary>
    Log,

    /// <summary><c>.index</c>: the sparse offset index.</summary>
    OffsetIndex,

    /// <summary><c>.timeindex</c>: the sparse time index.</summary>
    TimeIndex,
}
