using Microsoft.Extensions.Hosting;

namespace Orlog.Cluster;

/// <summary>
/// Remembers when this silo learned, from Orleans membership, that another silo died. Silos already dead
/// in the first view this silo has are left out: when they died is unknown, and long ago.
/// </summary>
public sealed class SiloDeaths(IClusterMembershipService membership, TimeProvider time) : BackgroundService
{
    /// <summary>Longer than any call waits for an answer (the response timeout), so no death a caller asks about is forgotten.</summary>
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(2);

    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, long> _learnedAt = [];
    private HashSet<SiloAddress>? _deadBefore;

    /// <summary>The silos declared dead in the last <see cref="Remember"/>, with how long ago.</summary>
    public LostSilo[] Recent()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var recent = new List<LostSilo>(_learnedAt.Count);
            foreach (var (silo, at) in _learnedAt)
            {
                var ago = time.GetElapsedTime(at, now);
                if (ago < Remember)
                {
                    recent.Add(new LostSilo(silo, ago));
                }
            }

            return [.. recent];
        }
    }

    /// <summary>Notes the deaths in <paramref name="snapshot"/> not seen before.</summary>
    public void Observe(ClusterMembershipSnapshot snapshot)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var first = _deadBefore is null;
            _deadBefore ??= [];
            foreach (var member in snapshot.Members.Values)
            {
                if (member.Status != SiloStatus.Dead || _deadBefore.Contains(member.SiloAddress) || _learnedAt.ContainsKey(member.SiloAddress))
                {
                    continue;
                }

                if (first)
                {
                    _deadBefore.Add(member.SiloAddress);
                }
                else
                {
                    _learnedAt[member.SiloAddress] = now;
                }
            }

            foreach (var (silo, at) in _learnedAt)
            {
                if (time.GetElapsedTime(at, now) >= Remember)
                {
                    _learnedAt.Remove(silo);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                Observe(snapshot);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }
}
