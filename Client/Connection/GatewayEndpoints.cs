using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Orlog.Errors;

namespace Orlog.Client;

/// <summary>Parses <see cref="ClientConfig.BootstrapServers"/>: <c>host:port,host:port</c>.</summary>
internal static class GatewayEndpoints
{
    /// <returns>The endpoints; empty means localhost clustering.</returns>
    /// <exception cref="OrlogException">INVALID_CONFIG for an entry that is not <c>host:port</c>.</exception>
    public static IReadOnlyList<(string Host, int Port)> Parse(string? bootstrapServers)
    {
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            return [];
        }

        var result = new List<(string, int)>();
        foreach (var entry in bootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0
                || !int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535)
            {
                throw new OrlogException(
                    ErrorCode.InvalidConfig,
                    $"BootstrapServers entry '{entry}' is not host:port (for example localhost:{ClientConfig.DefaultGatewayPort}).");
            }

            result.Add((entry[..colon].Trim('[', ']'), port));
        }

        return result;
    }

    /// <summary>Resolves host names to addresses, as Orleans' static gateway list needs them.</summary>
    public static async Task<IPEndPoint[]> ResolveAsync(IReadOnlyList<(string Host, int Port)> entries, CancellationToken cancellationToken)
    {
        var endpoints = new List<IPEndPoint>(entries.Count);
        foreach (var (host, port) in entries)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                endpoints.Add(new IPEndPoint(address, port));
                continue;
            }

            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new OrlogException(ErrorCode.InvalidConfig, $"BootstrapServers host '{host}' could not be resolved: {e.Message}", e);
            }

            var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new OrlogException(ErrorCode.InvalidConfig, $"BootstrapServers host '{host}' has no address.");
            endpoints.Add(new IPEndPoint(chosen, port));
        }

        return [.. endpoints];
    }
}
