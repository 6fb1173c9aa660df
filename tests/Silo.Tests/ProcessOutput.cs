using System.Diagnostics;
using System.Text;
using Orlog.Testing;

namespace Orlog.Silo;

/// <summary>What child processes printed (standard output and error, line by line); pulses <see cref="Changed"/> at every line so tests wait on it.</summary>
internal sealed class ProcessOutput
{
    private readonly StringBuilder _text = new();

    public ChangeSignal Changed { get; } = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Collects the lines of <paramref name="process"/> (before it starts), handing each to <paramref name="onLine"/> as well.</summary>
    public void Capture(Process process, Action<string>? onLine = null)
    {
        process.OutputDataReceived += (_, line) => Append(line.Data, onLine);
        process.ErrorDataReceived += (_, line) => Append(line.Data, onLine);
    }

    private void Append(string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(line);
        }

        Changed.Pulse();
        onLine?.Invoke(line);
    }
}
