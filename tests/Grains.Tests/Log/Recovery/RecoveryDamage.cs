namespace Orlog.Log.Recovery;

/// <summary>Where a flipped byte goes.</summary>
public enum Field
{
    Records,
    BaseOffset,
}

/// <summary>What is done to an index file.</summary>
public enum IndexDamage
{
    OffsetIndexDeleted,
    OffsetIndexTruncated,
    OffsetIndexGarbage,
    TimeIndexDeleted,
    TimeIndexGarbage,
}

/// <summary>What is done to the checkpoint file.</summary>
public enum CheckpointDamage
{
    FlippedByte,
    Truncated,
    Deleted,
}

/// <summary>What is done to the leader-epoch checkpoint.</summary>
public enum EpochCheckpointDamage
{
    Garbage,
    LastLineLost,
    Deleted,
}
