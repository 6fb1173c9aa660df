using Orlog.Log.Epochs;

namespace Orlog.Replication;

/// <summary>Where a follower's log stops agreeing with its leader's, by leader epoch (Kafka's KIP-101/KIP-279).</summary>
public static class EpochTruncation
{
    /// <summary>
    /// The offset up to which the follower's log holds what the leader's holds: take the leader's largest
    /// epoch not newer than the follower's latest, and the smaller of where that epoch ends on the leader and
    /// on the follower. A follower with no epoch yet (an empty log) agrees up to its end; -1 when the leader
    /// knows no epoch that old (nothing the follower holds can be trusted).
    /// </summary>
    /// <param name="followerEndOffsetFor">The follower log's own answer for an epoch: its largest epoch not newer, and where that ended.</param>
    /// <param name="leaderEpochs">The leader's epoch checkpoint, oldest first.</param>
    public static long AgreedEnd(int followerLatestEpoch, long followerEnd, Func<int, EpochEnd> followerEndOffsetFor, (int Epoch, long StartOffset)[] leaderEpochs, long leaderEnd)
    {
        if (followerLatestEpoch < 0)
        {
            return followerEnd;
        }

        var i = leaderEpochs.Length - 1;
        while (i >= 0 && leaderEpochs[i].Epoch > followerLatestEpoch)
        {
            i--;
        }

        if (i < 0)
        {
            return -1;
        }

        var leaderEndOfEpoch = i == leaderEpochs.Length - 1 ? leaderEnd : leaderEpochs[i + 1].StartOffset;
        return Math.Min(followerEndOffsetFor(leaderEpochs[i].Epoch).EndOffset, leaderEndOfEpoch);
    }
}
