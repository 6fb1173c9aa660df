namespace Orlog.Silo;

/// <summary>
/// The availability zone of the Azure VM the silo runs on, from the Azure Instance Metadata Service (IMDS), for
/// <c>Orlog:ZoneFromInstanceMetadata</c>: in AKS a pod cannot read its node's zone label, but it can ask IMDS.
/// </summary>
internal static class AzureInstanceMetadata
{
    public const string DefaultEndpoint = "http://169.254.169.254";
    private const string ZonePath = "/metadata/instance/compute/zone?api-version=2021-02-01&format=text";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The VM's zone ("1", "2", "3"), or null for a VM outside any zone.</summary>
    /// <exception cref="InvalidOperationException">IMDS did not answer, or refused: the silo does not start with a zone it cannot know.</exception>
    public static async Task<string?> ZoneAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = endpoint, Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, ZonePath);
        request.Headers.Add("Metadata", "true");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var zone = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            return zone.Length == 0 ? null : zone;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException(
                $"Orlog:ZoneFromInstanceMetadata is set, but the Azure Instance Metadata Service at {endpoint} did not tell the zone ({error.Message}). Run in Azure, or set Orlog:Zone instead.",
                error);
        }
    }
}
