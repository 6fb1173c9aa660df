using Orlog.Log.Epochs;
using Xunit;

namespace Orlog.Replication;

/// <summary>The KIP-101/279 cases: follower and leader logs written under the epochs given, truncated where they part.</summary>
public sealed class EpochTruncationTests
{
    [Fact]
    public void AFollowerBehindInTheSameEpoch_KeepsAll() =>
        Assert.Equal(7, AgreedEnd(follower: [(0, 0)], followerEnd: 7, leader: [(0, 0)], leaderEnd: 10));

    [Fact]
    public void AFollowerWithRecordsTheNewLeaderNeverGot_TruncatesToWhereTheLeadersNextEpochStarts() =>
        Assert.Equal(5, AgreedEnd(follower: [(0, 0), (1, 3)], followerEnd: 9, leader: [(0, 0), (1, 3), (2, 5)], leaderEnd: 8));

    [Fact]
    public void AFollowerWithAnEpochTheLeaderNeverHad_TruncatesToTheEndOfTheLastEpochBothKnow() =>
        Assert.Equal(4, AgreedEnd(follower: [(0, 0), (2, 4)], followerEnd: 6, leader: [(0, 0), (1, 5)], leaderEnd: 9));

    [Fact]
    public void AnEmptyFollower_AgreesUpToItsEnd() =>
        Assert.Equal(0, AgreedEnd(follower: [], followerEnd: 0, leader: [(0, 0)], leaderEnd: 4));

    [Fact]
    public void AFollowerOlderThanAllTheLeaderKnows_TrustsNothing() =>
        Assert.Equal(-1, AgreedEnd(follower: [(0, 0)], followerEnd: 3, leader: [(3, 50)], leaderEnd: 60));

    private static long AgreedEnd((int Epoch, long Start)[] follower, long followerEnd, (int Epoch, long StartOffset)[] leader, long leaderEnd)
    {
        EpochEnd FollowerEndFor(int epoch)
        {
            for (var i = follower.Length - 1; i >= 0; i--)
            {
                if (follower[i].Epoch <= epoch)
                {
                    return new EpochEnd(follower[i].Epoch, i == follower.Length - 1 ? followerEnd : follower[i + 1].Start);
                }
            }

            return new EpochEnd(-1, -1);
        }

        var latest = follower.Length == 0 ? -1 : follower[^1].Epoch;
        return EpochTruncation.AgreedEnd(latest, followerEnd, FollowerEndFor, leader, leaderEnd);
    }
}
