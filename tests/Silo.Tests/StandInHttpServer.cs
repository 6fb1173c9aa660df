using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Orlog.Testing;

namespace Orlog.Silo;

/// <summary>
/// A stand-in for an HTTP service on loopback (an OTLP collector, the Azure Instance Metadata Service): it answers
/// every request with 200 and the body it was given, and keeps what each request asked and sent.
/// </summary>
internal sealed class StandInHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly byte[] _response;
    private readonly Task _serving;

    public StandInHttpServer(string responseBody = "")
    {
        _response = Encoding.UTF8.GetBytes(responseBody);
        Port = SiloProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyCollection<Request> Requests => _requests;

    /// <summary>Pulses at every request received.</summary>
    public ChangeSignal Received { get; } = new();

    public void Dispose()
    {
        _listener.Close();
        _ = _serving.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _requests.Enqueue(new Request(context.Request.Url!.AbsolutePath, context.Request.Headers["Metadata"], body.ToArray()));
            Received.Pulse();
            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync(_response);
            context.Response.Close();
        }
    }

    /// <param name="Metadata">The <c>Metadata</c> header, which the Azure Instance Metadata Service requires.</param>
    public sealed record Request(string Path, string? Metadata, byte[] Body);
}
