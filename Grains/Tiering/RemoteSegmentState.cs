namespace Orlog.Tiering;

/// <summary>
/// Where a remote segment is in its life (Kafka's RemoteLogSegmentState): a copy is recorded as
/// started before any byte is uploaded and as finished only after the upload completed; a delete
/// is recorded as started before any file is removed, and the entry goes once they are gone.
/// </summary>
public enum RemoteSegmentState
{
    CopyStarted,
    CopyFinished,
    DeleteStarted,
}
