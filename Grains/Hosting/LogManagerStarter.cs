using Microsoft.Extensions.Hosting;
using Orlog.Log;

namespace Orlog.Hosting;

/// <summary>
/// Starts the log manager's background work with the host. Stopping is left to the service
/// provider's disposal, which comes after the silo (and its grains) have stopped.
/// </summary>
internal sealed class LogManagerStarter(LogManager logs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logs.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
