namespace Orlog.Silo;

/// <summary>The silo host's own operator-facing log lines.</summary>
internal static partial class SiloLog
{
    /// <summary>The one line that says where everything is.</summary>
    public static void SiloStarted(this ILogger logger, OrlogSiloOptions options)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var web = $"http://localhost:{options.HttpPort}";
            logger.SiloStarted(Path.GetFullPath(options.DataDir), options.GatewayPort, web + "/dashboard", web + "/healthz");
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Orlog broker started. Data: {DataDir}. Clients connect to localhost:{GatewayPort}. Dashboard: {Dashboard}. Health: {Health}")]
    private static partial void SiloStarted(this ILogger logger, string dataDir, int gatewayPort, string dashboard, string health);
}
