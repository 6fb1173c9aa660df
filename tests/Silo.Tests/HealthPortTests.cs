using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Xunit;

namespace Orlog.Silo;

/// <summary>Orlog:HealthPort answers /healthz on every address and nothing else; the dashboard's port stays on localhost.</summary>
public sealed class HealthPortTests
{
    [Fact]
    public async Task TheHealthPort_ServesOnlyHealthz_OnTheHostsAddress_WhileTheDashboardStaysOnLocalhost()
    {
        var address = HostAddress();
        var healthPort = SiloProcess.FreePort();
        var data = Directory.CreateTempSubdirectory("orlog-health-");
        try
        {
            await using var silo = new SiloProcess(data.FullName, $"--Orlog:HealthPort={healthPort}");
            await silo.StartAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var ct = TestContext.Current.CancellationToken;

            var health = await http.GetAsync(new Uri($"http://{address}:{healthPort}/healthz"), ct);
            var dashboardOnHealthPort = await http.GetAsync(new Uri($"http://{address}:{healthPort}/dashboard"), ct);
            var dashboardOnLocalhost = await http.GetAsync(new Uri($"http://localhost:{silo.HttpPort}/dashboard"), ct);
            var dashboardFromOutside = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://{address}:{silo.HttpPort}/dashboard"), ct));

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, dashboardOnHealthPort.StatusCode);
            Assert.True(dashboardOnLocalhost.IsSuccessStatusCode, $"the dashboard answered {dashboardOnLocalhost.StatusCode} on localhost");
            Assert.Equal(SocketError.ConnectionRefused, (dashboardFromOutside.InnerException as SocketException)?.SocketErrorCode);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>An IPv4 address of this machine that is not loopback, as a pod address would be.</summary>
    private static IPAddress HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
