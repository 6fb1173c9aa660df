using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Orlog.Cluster;

/// <summary>Deaths are remembered from when this silo learned them, for two minutes; deaths older than the silo's first view are not.</summary>
public class SiloDeathsTests
{
    private static readonly SiloAddress A = Silo(1);
    private static readonly SiloAddress B = Silo(2);
    private static readonly SiloAddress C = Silo(3);
    private readonly FakeTimeProvider _time = new();

    private static SiloAddress Silo(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), 1);

    private static ClusterMembershipSnapshot Snapshot(long version, params (SiloAddress Silo, SiloStatus Status)[] members) => new(
        members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, m.Silo.ToString())),
        new MembershipVersion(version));

    private SiloDeaths Deaths() => new(null!, _time);

    [Fact]
    public void DeathsInTheFirstView_AreNotReported()
    {
        var deaths = Deaths();

        deaths.Observe(Snapshot(1, (A, SiloStatus.Active), (B, SiloStatus.Dead)));

        Assert.Empty(deaths.Recent());
    }

    [Fact]
    public void DeathLearnedLater_IsReportedWithItsAge_UntilTwoMinutesPass()
    {
        var deaths = Deaths();
        deaths.Observe(Snapshot(1, (A, SiloStatus.Active), (B, SiloStatus.Active), (C, SiloStatus.Dead)));
        _time.Advance(TimeSpan.FromSeconds(5));

        deaths.Observe(Snapshot(2, (A, SiloStatus.Active), (B, SiloStatus.Dead), (C, SiloStatus.Dead)));
        _time.Advance(TimeSpan.FromSeconds(3));
        deaths.Observe(Snapshot(3, (A, SiloStatus.Active), (B, SiloStatus.Dead), (C, SiloStatus.Dead)));

        Assert.Equal([new LostSilo(B, TimeSpan.FromSeconds(3))], deaths.Recent());
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(deaths.Recent());
    }
}
