using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Orlog.Azure;

/// <summary>
/// A loopback TCP relay to a service (the test run's Azurite) that a test can cut and restore, as a
/// network outage would: while it is down, connecting fails and open connections are dropped; the
/// service behind it keeps its data.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _up;
    private Task _accepting = Task.CompletedTask;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The port clients connect to; the same across a cut.</summary>
    public int Port { get; }

    public void Start()
    {
        _up = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _up.Token);
    }

    /// <summary>Stops listening and drops every open connection.</summary>
    public async Task CutAsync()
    {
        if (_up is null)
        {
            return;
        }

        await _up.CancelAsync();
        _listener!.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        _connections.Clear();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The accept loop ends with the listener.
        }

        _up.Dispose();
        _up = null;
    }

    public async ValueTask DisposeAsync() => await CutAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            var target = new TcpClient();
            _connections[client] = 0;
            _connections[target] = 0;
            _ = RelayAsync(client, target, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient target, CancellationToken cancellationToken)
    {
        try
        {
            await target.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken);
            var a = client.GetStream().CopyToAsync(target.GetStream(), cancellationToken);
            var b = target.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
            await Task.WhenAny(a, b);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut, or one side closed: both go.
        }
        finally
        {
            _connections.TryRemove(client, out _);
            _connections.TryRemove(target, out _);
            client.Dispose();
            target.Dispose();
        }
    }
}
